using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Catalog.Api.Extensions;

/// <summary>
/// Catalog.Api's limit, counted in Redis so it holds across every replica: a fixed window per API key on the
/// admin writes (PUT item, stock reserve/release, cache flush). Reads are not limited here: they are output
/// cached, and the storefront limits shoppers before they reach us.
/// </summary>
public static class CatalogRateLimitingExtensions
{
    public const string AdminWrite = "admin-write";

    /// <summary>
    /// Default 6,000 writes a minute per key (<c>RateLimiting:Policies:admin-write</c>). The key is shared:
    /// every Cart.Api replica reserves (and on failure releases) stock with the same admin key, one call per
    /// cart line, so this one partition carries all checkout traffic. The limit is sized for that (about 100
    /// writes a second, above what the cart replicas place on this hardware) and is there to stop a runaway
    /// or leaked caller, not to pace checkout; a checkout that hits it gets 503 from Cart.Api with its cart kept.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.AddShopRateLimiting(policies => policies
            // Hashed in the key (a key in Redis must not reveal the secret); no key at all counts by address.
            // Falls back to per-replica counting when Redis is down: reserving stock must keep working.
            .AddFixedWindow(AdminWrite, context => RateLimitPartitions.ApiKey(context),
                new FixedWindowPolicyOptions { PermitLimit = 6000, Window = TimeSpan.FromMinutes(1) }));
        return builder;
    }
}
