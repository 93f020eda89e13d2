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

    /// <summary>A return URL the storefront will follow: local only, never to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl, string fallback = "/") =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal)
            && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : fallback;
}
