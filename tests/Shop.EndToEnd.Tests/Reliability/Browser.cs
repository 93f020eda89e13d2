using System.Net;
using System.Text.RegularExpressions;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>
/// A shopper's browser for the fault and hostile-input tests: a cookie jar, a new TCP connection per request
/// (so requests spread over the storefront replicas) and no automatic redirects, so a test sees the status a
/// request really got (a 302 to sign-in is not a 200).
/// </summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _client;

    public Browser(Uri storefront)
    {
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            CookieContainer = Cookies,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = storefront,
            Timeout = ShopAppFixture.RequestTimeout,
        };
    }

    public CookieContainer Cookies { get; } = new();

    public string? Cookie(string name) => Cookies.GetCookies(_client.BaseAddress!)[name]?.Value;

    public async Task<WebPage> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return await WebPage.ReadAsync(response);
    }

    public async Task<WebPage> SendAsync(HttpRequestMessage request)
    {
        using var response = await _client.SendAsync(request);
        return await WebPage.ReadAsync(response);
    }

    /// <summary>Posts a form; <paramref name="token"/> is the antiforgery token, or null to send none.</summary>
    public Task<WebPage> PostFormAsync(string action, string? token, params (string Name, string Value)[] fields)
    {
        var form = fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).ToList();
        if (token is not null)
        {
            form.Add(KeyValuePair.Create("__RequestVerificationToken", token));
        }
        return SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(form) });
    }

    /// <summary>The antiforgery token of the first form on <paramref name="path"/> (the page must answer 200).</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var page = await GetAsync(path);
        Assert.True(page.Status == HttpStatusCode.OK, $"GET {path} answered {(int)page.Status}; a form was expected.");
        return page.AntiforgeryToken ?? throw new Xunit.Sdk.XunitException($"No antiforgery token on {path}.");
    }

    public async Task SignInAsync(string user)
    {
        var token = await TokenFromAsync("/account/login");
        var page = await PostFormAsync("/account/login", token,
            ("username", user), ("password", $"{user}-shops-2026"), ("returnUrl", "/"));
        Assert.True(page.Status == HttpStatusCode.Redirect, $"Signing in {user} answered {(int)page.Status}.");
        Assert.NotNull(Cookie(".shop.auth"));
    }

    /// <summary>
    /// An antiforgery token for this browser: tokens are bound to the visitor (cookie and user), not to a form,
    /// so the sign-in form's (anonymous) or the sign-out form's (signed in) will do for any POST.
    /// </summary>
    public async Task<string> AnyFormTokenAsync()
    {
        var login = await GetAsync("/account/login");
        return login.Status == HttpStatusCode.OK && login.AntiforgeryToken is { } token ? token : await TokenFromAsync("/");
    }

    /// <summary>Adds to the cart the way the product page's form does; returns the answer (302 to /cart on success).</summary>
    public async Task<WebPage> AddToCartAsync(int productId, int quantity = 1, string? token = null)
    {
        token ??= await AnyFormTokenAsync();
        return await PostFormAsync("/cart?handler=add", token, ("productId", $"{productId}"), ("quantity", $"{quantity}"));
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>One storefront answer and the facts the tests read from it.</summary>
public sealed partial record WebPage(HttpStatusCode Status, string Html, string Instance, string? ContentType)
{
    public static async Task<WebPage> ReadAsync(HttpResponseMessage response) => new(
        response.StatusCode,
        await response.Content.ReadAsStringAsync(),
        response.Instance(),
        response.Content.Headers.ContentType?.MediaType);

    public string? UserName => Match(UserNamePattern());

    public IReadOnlyList<int> CartLineProductIds =>
        [.. CartLinePattern().Matches(Html).Select(m => int.Parse(m.Groups[1].Value))];

    public string? AntiforgeryToken => Match(TokenPattern());

    public string? IdempotencyKey => Match(IdempotencyKeyPattern());

    /// <summary>The friendly error page's status (<c>data-testid="error-page" data-status</c>), if this is one.</summary>
    public int? ErrorPageStatus => int.TryParse(Match(ErrorPagePattern()), out var status) ? status : null;

    public bool SaysUnavailable => Html.Contains("data-testid=\"unavailable\"", StringComparison.Ordinal);

    private string? Match(Regex pattern) => pattern.Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("data-testid=\"user-name\">([^<]*)<")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("data-testid=\"cart-line\" data-product-id=\"(\\d+)\"")]
    private static partial Regex CartLinePattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"idempotencyKey\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex IdempotencyKeyPattern();

    [GeneratedRegex("data-testid=\"error-page\" data-status=\"(\\d+)\"")]
    private static partial Regex ErrorPagePattern();
}
