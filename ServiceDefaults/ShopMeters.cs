namespace Microsoft.Extensions.Hosting;

/// <summary>The meters Shop's own code and the framework pieces it relies on publish to the dashboard.</summary>
public static class ShopMeters
{
    public const string Cart = "Shop.Cart";
    public const string OutputCache = "Shop.OutputCache";
    public const string RateLimiting = "Shop.RateLimiting";

    public static readonly string[] All =
    [
        Cart, OutputCache, RateLimiting,
        "Microsoft.AspNetCore.RateLimiting",
        "Microsoft.AspNetCore.OutputCaching",
    ];
}
