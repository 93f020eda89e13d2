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

        // The SQLite file all replicas share (Catalog:DatabasePath), created and seeded once before the server
        // takes requests.
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        builder.Services.AddSingleton<CatalogDatabase>();
        builder.Services.AddSingleton<CatalogRepository>();
        builder.Services.AddHostedService<CatalogDatabaseInitializer>();

        var cacheOff = builder.IsBaselineOn(BaselineExtensions.OutputCacheOff, "the catalog caches nothing, so every read goes to SQLite.");
        builder.AddShopOutputCache(options => options.AddCatalogPolicy(cacheOff));
        builder.Services.AddSingleton<CatalogCacheInvalidator>();

        // Counted in Redis, so it holds across every replica; reads are not limited here (they are output cached,
        // and the storefront limits shoppers before they reach us). The API key is hashed in the partition (a
        // key in Redis must not reveal the secret); no key at all counts by address. The limit is high on
        // purpose: every Cart.Api replica reserves (and on failure releases) stock with the same key, one call
        // per cart line, so this one partition carries all checkout traffic. It stops a runaway or leaked caller,
        // not shoppers; a checkout that hits it gets 503 from Cart.Api with its cart kept. With Redis down it
        // counts per replica: reserving stock must keep working.
        builder.AddShopRateLimiting(policies => policies
            .Add(CatalogWriteEndpoints.RateLimitPolicy, RateLimitAlgorithm.FixedWindow, context => RateLimitPartitions.ApiKey(context)));

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CatalogJsonContext.Default));
        return builder;
    }
}
