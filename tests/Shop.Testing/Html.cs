using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Shop.Testing;

/// <summary>
/// One storefront answer and what the tests and the bench read from it, by the storefront's own markers
/// (<c>data-testid</c>, form field names): the one place that knows how a page says who is signed in, what the
/// cart holds or which form token it carries.
/// </summary>
public sealed partial record StorefrontPage(HttpStatusCode Status, string Html, string Instance, Uri? Url = null, string? ContentType = null)
{
    public static async Task<StorefrontPage> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken = default) => new(
        response.StatusCode,
        await response.Content.ReadAsStringAsync(cancellationToken),
        response.Instance(),
        response.RequestMessage?.RequestUri,
        response.Content.Headers.ContentType?.MediaType);

    /// <summary>The signed-in shopper's name in the header, or null when anonymous.</summary>
    public string? UserName => TestId("user-name");

    /// <summary>The header's cart badge (0 when it shows none).</summary>
    public int CartCount => int.TryParse(CartCountPattern().Match(Html) is { Success: true } m ? m.Groups[1].Value : null, out var count) ? count : 0;

    /// <summary>The cart page's lines: product id → quantity (from each line's quantity field).</summary>
    public IReadOnlyDictionary<int, int> CartLines => CartLinePattern().Matches(Html)
        .ToDictionary(m => int.Parse(m.Groups["id"].Value, CultureInfo.InvariantCulture), m => int.Parse(m.Groups["qty"].Value, CultureInfo.InvariantCulture));

    /// <summary>The product ids of the cart's lines (cart and checkout pages), in page order.</summary>
    public IReadOnlyList<int> CartLineProductIds =>
        [.. CartLineIdPattern().Matches(Html).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    /// <summary>The rows of <c>/account/sessions</c>: ticket id, whether it is this device, and the device's user agent.</summary>
    public IReadOnlyList<(string TicketId, bool Current, string Device)> Sessions =>
        [.. SessionPattern().Matches(Html).Select(m => (m.Groups["id"].Value, m.Groups["current"].Value == "true", WebUtility.HtmlDecode(m.Groups["device"].Value.Trim())))];

    public string? AntiforgeryToken => Match(TokenPattern());

    public string? IdempotencyKey => Match(IdempotencyKeyPattern());

    /// <summary>
    /// The sign-in form's record of the anonymous cart it shows (<c>cartContents</c>), or null when it shows none: a
    /// browser posts it back with the "add these items" box ticked, as it is by default.
    /// </summary>
    public string? CartToMerge => Match(CartContentsPattern());

    /// <summary>The fields a browser adds to the sign-in form's post when it shows a cart, its box left ticked.</summary>
    public IEnumerable<(string Name, string Value)> KeepCartFields =>
        CartToMerge is { } contents ? [("keepCart", "true"), ("cartContents", contents)] : [];

    public string? LoginError => TestId("login-error");

    /// <summary>The friendly error page's status (<c>data-testid="error-page" data-status</c>), if this is one.</summary>
    public int? ErrorPageStatus => int.TryParse(Match(ErrorPagePattern()), out var status) ? status : null;

    public bool SaysUnavailable => Html.Contains("data-testid=\"unavailable\"", StringComparison.Ordinal);

    /// <summary>The friendly 429 page, with its "try again in" line.</summary>
    public bool IsFriendly429Page => ErrorPageStatus == 429 && Html.Contains("data-testid=\"retry-after\"", StringComparison.Ordinal);

    /// <summary>The text of the first element with <c>data-testid="<paramref name="testId"/>"</c>, or null.</summary>
    public string? TestId(string testId) => global::Shop.Testing.Html.TestId(Html, testId);

    private string? Match(Regex pattern) => pattern.Match(Html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("data-testid=\"cart-count\"[^>]*>(\\d+)<")]
    private static partial Regex CartCountPattern();

    [GeneratedRegex("data-testid=\"cart-line\" data-product-id=\"(\\d+)\"")]
    private static partial Regex CartLineIdPattern();

    // One cart-page row: its product id, then (before the next row) the quantity input's value.
    [GeneratedRegex("data-testid=\"cart-line\" data-product-id=\"(?<id>\\d+)\"(?:(?!data-testid=\"cart-line\").)*?value=\"(?<qty>\\d+)\" data-testid=\"line-quantity\"", RegexOptions.Singleline)]
    private static partial Regex CartLinePattern();

    [GeneratedRegex("data-testid=\"session\" data-session-id=\"(?<id>[^\"]+)\" data-current=\"(?<current>true|false)\">\\s*<td[^>]*>(?<device>[^<]*)<")]
    private static partial Regex SessionPattern();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("name=\"idempotencyKey\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex IdempotencyKeyPattern();

    [GeneratedRegex("name=\"cartContents\" value=\"([^\"]*)\"")]
    private static partial Regex CartContentsPattern();

    [GeneratedRegex("data-testid=\"error-page\" data-status=\"(\\d+)\"")]
    private static partial Regex ErrorPagePattern();
}

/// <summary>Reading markup and cookies where there is no <see cref="StorefrontPage"/> (a bare HTML string, a raw response).</summary>
public static class Html
{
    /// <summary>The text of the first element with <c>data-testid="<paramref name="testId"/>"</c>, or null.</summary>
    public static string? TestId(string html, string testId) =>
        Regex.Match(html, $"data-testid=\"{Regex.Escape(testId)}\"[^>]*>([^<]*)<") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    /// <summary>The antiforgery token of the first form in <paramref name="html"/>, or null.</summary>
    public static string? AntiforgeryToken(string html) => new StorefrontPage(HttpStatusCode.OK, html, "").AntiforgeryToken;

    /// <summary>The <c>name=value</c> of a cookie a response sets (not one it deletes), or null.</summary>
    public static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "=;", StringComparison.Ordinal))?.Split(';')[0]
            : null;
}
