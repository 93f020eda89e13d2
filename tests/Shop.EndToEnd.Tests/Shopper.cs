using System.Net;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// One shopper's browser, reduced to what the tests need: a cookie jar and forms, on a client address of its own
/// (<see cref="ClientAddresses"/>), as two real shoppers are two clients to the gateway. Every request opens a new TCP
/// connection (the gateway balances per request anyway; the API proxies per connection), so consecutive requests land
/// on any storefront replica — the shopper's state must follow them through Redis. Redirects are followed unless the
/// test must see the status a request really got (a 302 to sign-in is not a 200).
/// </summary>
public sealed class Shopper : IDisposable
{
    private readonly HttpClient _client;

    /// <param name="forgedForwardedFor">An <c>X-Forwarded-For</c> to send with every request: a lie the gateway must not pass on.</param>
    public Shopper(Uri storefront, bool followRedirects = true, string userAgent = "ShopE2E/1.0", string? forgedForwardedFor = null, IPAddress? from = null)
    {
        Address = from ?? ClientAddresses.Next();
        var handler = ClientAddresses.Handler(Address);
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        handler.CookieContainer = Cookies;
        handler.AllowAutoRedirect = followRedirects;
        _client = new HttpClient(handler)
        {
            BaseAddress = storefront,
            Timeout = ShopApp.RequestTimeout,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd(userAgent);
        if (forgedForwardedFor is not null)
        {
            _client.DefaultRequestHeaders.Add("X-Forwarded-For", forgedForwardedFor);
        }
    }

    /// <summary>The loopback address this shopper's connections come from.</summary>
    public IPAddress Address { get; }

    public CookieContainer Cookies { get; } = new();

    public Uri BaseAddress => _client.BaseAddress!;

    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

    public async Task<StorefrontPage> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        using var response = await _client.GetAsync(path, cancellationToken);
        return await StorefrontPage.ReadAsync(response, cancellationToken);
    }

    public async Task<StorefrontPage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using var response = await _client.SendAsync(request, cancellationToken);
        return await StorefrontPage.ReadAsync(response, cancellationToken);
    }

    /// <summary>Posts a form; <paramref name="token"/> is the antiforgery token, or null to send none.</summary>
    public Task<StorefrontPage> PostAsync(string action, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            form.Add(KeyValuePair.Create("__RequestVerificationToken", token));
        }
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(form) });
    }

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the form on <paramref name="formPage"/>.</summary>
    public async Task<StorefrontPage> PostFormAsync(string formPage, string action, params (string Name, string Value)[] fields) =>
        await PostAsync(action, await TokenFromAsync(formPage), fields);

    /// <summary>The antiforgery token of the first form on <paramref name="path"/> (the page must answer 200).</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var page = await GetAsync(path);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {path} answered {(int)page.Status}; a form was expected.");
        return page.AntiforgeryToken ?? throw new Xunit.Sdk.XunitException($"No antiforgery token on {path}.");
    }

    /// <summary>
    /// An antiforgery token for this browser: tokens are bound to the visitor (cookie and user), not to a form, so
    /// the sign-in form's (anonymous) or the sign-out form's (signed in) will do for any POST.
    /// </summary>
    public async Task<string> AnyFormTokenAsync()
    {
        var login = await GetAsync("/account/login");
        return login.Status == HttpStatusCode.OK && login.AntiforgeryToken is { } token ? token : await TokenFromAsync("/");
    }

    /// <summary>
    /// Adds to the cart the way the product page's form does (302 to /cart on success, unless redirects are followed):
    /// with no antiforgery token, since the page is shared through the output cache.
    /// </summary>
    public Task<StorefrontPage> AddToCartAsync(int productId, int quantity = 1) =>
        PostAsync("/cart/add", token: null, ("productId", $"{productId}"), ("quantity", $"{quantity}"));

    /// <summary>Signs in through the form and asserts it worked: a sign-in cookie, and the name in the header.</summary>
    public async Task SignInAsync(string user)
    {
        var form = await GetAsync("/account/login");
        Assert.True(form.Status == HttpStatusCode.OK && form.AntiforgeryToken is not null, $"GET /account/login answered {(int)form.Status}.");
        var page = await PostAsync("/account/login", form.AntiforgeryToken,
            [("username", user), ("password", DemoAccounts.Password(user)), ("returnUrl", "/"), .. form.KeepCartFields]);
        Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.Redirect, $"Signing in {user} answered {(int)page.Status}.");
        Assert.NotNull(Cookie(".shop.auth"));
        Assert.Equal(DemoAccounts.DisplayNames[user], (await GetAsync("/")).UserName);
    }

    public Task<StorefrontPage> SignOutAsync() => PostFormAsync("/", "/account/logout");

    public void Dispose() => _client.Dispose();
}

public static class DemoAccounts
{
    public static readonly IReadOnlyDictionary<string, string> DisplayNames = new Dictionary<string, string>
    {
        ["alice"] = "Alice Liddell",
        ["bob"] = "Bob Builder",
        ["carol"] = "Carol Danvers",
    };

    public static string Password(string user) => $"{user}-shops-2026";
}
