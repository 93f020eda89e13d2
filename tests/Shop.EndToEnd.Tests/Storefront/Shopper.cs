using System.Net;
using System.Text.RegularExpressions;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Storefront;

/// <summary>
/// One shopper's browser, reduced to what the tests need: a cookie jar and forms. Every request opens a new
/// TCP connection, so consecutive requests land on random storefront replicas, as they would behind a real
/// load balancer — the shopper's state must follow them through Redis.
/// </summary>
public sealed partial class Shopper : IDisposable
{
    private readonly HttpClient _client;

    public Shopper(Uri storefront, string? forwardedFor = null)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.Zero,
            CookieContainer = Cookies,
            AllowAutoRedirect = true,
        })
        {
            BaseAddress = storefront,
            Timeout = ShopAppFixture.RequestTimeout,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("ShopE2E/1.0");
        if (forwardedFor is not null)
        {
            _client.DefaultRequestHeaders.Add("X-Forwarded-For", forwardedFor);
        }
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _client.BaseAddress!;

    public async Task<Page> GetAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        return await Page.ReadAsync(response);
    }

    /// <summary>Posts <paramref name="fields"/> with the antiforgery token of the form found on <paramref name="formPage"/>.</summary>
    public async Task<Page> PostFormAsync(string formPage, string action, IDictionary<string, string> fields)
    {
        var page = await GetAsync(formPage);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = page.AntiforgeryToken() };
        using var response = await _client.PostAsync(action, new FormUrlEncodedContent(form));
        return await Page.ReadAsync(response);
    }

    public Task<Page> AddToCartAsync(int productId, int quantity = 1) =>
        PostFormAsync($"/products/{productId}", "/cart?handler=add",
            new Dictionary<string, string> { ["productId"] = $"{productId}", ["quantity"] = $"{quantity}" });

    public Task<Page> SignInAsync(string user) =>
        PostFormAsync("/account/login", "/account/login", new Dictionary<string, string>
        {
            ["username"] = user,
            ["password"] = DemoAccounts.Password(user),
            ["returnUrl"] = "/",
        });

    public Task<Page> SignOutAsync() => PostFormAsync("/", "/account/logout", new Dictionary<string, string>());

    public string? CookieValue(string name) => Cookies.GetCookies(BaseAddress)[name]?.Value;

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

/// <summary>A rendered storefront page and the few facts the tests read from it.</summary>
public sealed partial record Page(HttpStatusCode Status, string Html, string Instance, Uri? Url)
{
    public static async Task<Page> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Instance(), response.RequestMessage?.RequestUri);

    public string? UserName => Match(UserNamePattern());

    public int CartCount => int.TryParse(Match(CartCountPattern()), out var count) ? count : 0;

    public IReadOnlyList<int> CartLineProductIds =>
        CartLinePattern().Matches(Html).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    public IReadOnlyList<(string TicketId, bool Current)> Sessions =>
        SessionPattern().Matches(Html).Select(m => (m.Groups[1].Value, m.Groups[2].Value == "true")).ToList();

    public string AntiforgeryToken() => Match(TokenPattern())
        ?? throw new Xunit.Sdk.XunitException($"No antiforgery token on {Url} ({Status}).");

    private string? Match(Regex pattern) => pattern.Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("data-testid=\"user-name\">([^<]*)<")]
    private static partial Regex UserNamePattern();

    [GeneratedRegex("data-testid=\"cart-count\"[^>]*>(\\d+)<")]
    private static partial Regex CartCountPattern();

    [GeneratedRegex("data-testid=\"cart-line\" data-product-id=\"(\\d+)\"")]
    private static partial Regex CartLinePattern();

    [GeneratedRegex("data-testid=\"session\" data-session-id=\"([^\"]+)\" data-current=\"(true|false)\"")]
    private static partial Regex SessionPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
