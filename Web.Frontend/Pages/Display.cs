using System.Globalization;

namespace Shop.Web.Frontend.Pages;

/// <summary>How prices and stock read on every page, in one place.</summary>
public static class Display
{
    public const int LowStockThreshold = 5;

    private static readonly CultureInfo Currency = CultureInfo.GetCultureInfo("en-US");

    public static string Price(decimal amount) => amount.ToString("C", Currency);

    public static (string Text, string CssClass) Stock(int stock) => stock switch
    {
        <= 0 => ("Out of stock", "stock-out"),
        <= LowStockThreshold => ($"Only {stock} left", "stock-low"),
        _ => ("In stock", "stock-in"),
    };

    /// <summary>The current URL (path and query), for "come back here" links and forms.</summary>
    public static string CurrentUrl(HttpRequest request) => $"{request.PathBase}{request.Path}{request.QueryString}";

    /// <summary>Longer return URLs are not links a shopper followed: they fall back rather than travel on.</summary>
    public const int MaxReturnUrlLength = 2048;

    /// <summary>
    /// A return URL the storefront will follow: local only, never to another site, and only what a Location header
    /// can carry (printable ASCII; a browser percent-encodes everything else in a link it follows). A control or
    /// non-ASCII character used to pass here and then make the redirect throw after the sign-in had happened: a
    /// 500 for a correct password, and a signed-in device the shopper never saw.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback = "/") =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.Length <= MaxReturnUrlLength
            && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && returnUrl.All(c => c is > ' ' and < (char)0x7F and not '\\') // (a backslash is a slash to some browsers: /\\other-site)
            ? returnUrl
            : fallback;
}
