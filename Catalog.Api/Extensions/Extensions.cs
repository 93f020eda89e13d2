using Shop.Catalog.Api.Api;
using Shop.Catalog.Api.Caching;
using Shop.Catalog.Api.Data;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Catalog.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedisClient();
        // Cart.Api's tokens for stock changes; operators use the admin key (AdminApiKey) instead.
        builder.AddServiceTokenAuthentication(ServiceTokens.Stock);

        // The SQLite file all replicas share (Catalog:DatabasePath), created and seeded once before the server
        // takes requests.
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        builder.Services.AddSingleton<CatalogDatabase>();
        builder.Services.AddSingleton<CatalogRepository>();
        builder.Services.AddHostedService<CatalogDatabaseInitializer>();

        var cacheOff = builder.IsBaselineOn(BaselineExtensions.OutputCacheOff, "the catalog caches nothing, so every read goes to SQLite.");
        builder.AddShopOutputCache(options => options.AddCatalogPolicy(cacheOff));
        builder.Services.AddSingleton<CatalogCacheInvalidator>();

        // Counted in Redis, so they hold across every replica; reads are not limited here (they are output cached,
        // and the storefront limits shoppers before they reach us).
        builder.AddShopRateLimiting(policies => policies
            // Operators' writes, per client address: a caller trying keys spends its own budget, whatever it presents.
            .Add(CatalogWriteEndpoints.AdminPolicy, RateLimitAlgorithm.FixedWindow, RateLimitPartitions.ClientIp)
            // Stock changes, per caller. High on purpose: every Cart.Api replica is the one caller "cart-api",
            // reserving one call per cart line (plus a commit or a release per checkout, and a few retries when answers
            // are lost), so this partition carries all checkout traffic. It stops a runaway caller, not shoppers; a checkout that hits it gets 503 from Cart.Api with
            // its cart kept. With Redis down it counts per replica: reserving stock must keep working.
            .Add(CatalogWriteEndpoints.StockPolicy, RateLimitAlgorithm.FixedWindow, RateLimitPartitions.TokenSubject));

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CatalogJsonContext.Default));
        return builder;
    }
}
