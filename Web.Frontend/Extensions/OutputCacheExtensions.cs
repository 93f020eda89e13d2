using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Shop.Web.Frontend.Caching;

namespace Shop.Web.Frontend.Extensions;

public static class OutputCacheExtensions
{
    /// <summary>
    /// The storefront's output cache in Redis (<c>shop:oc:</c>, the one multiplexer), shared by every replica,
    /// behind a store that treats Redis failures as misses. Only <see cref="AnonymousCatalogCachePolicy"/>
    /// is registered: nothing is cached unless an endpoint opts in with <c>CacheOutput(policy name)</c>.
    /// Entry lifetime: <c>OutputCache:Duration</c> (default 5 min); Catalog.Api's tag evictions
    /// (<c>catalog</c>, <c>product:{id}</c>) remove our entries too because both use the same prefix.
    /// </summary>
    public static IHostApplicationBuilder AddStorefrontOutputCache(this IHostApplicationBuilder builder)
    {
        // DEMONSTRATION baseline (bench/Shop.Bench): without the Redis store, AddOutputCache's per-process
        // memory store is used.
        if (!builder.IsBaselineOn(BaselineExtensions.InMemoryOutputCache,
                "the output cache is in this replica's memory, so each replica fills its own copy and catalog evictions do not reach it."))
        {
            builder.Services.AddStackExchangeRedisOutputCache(_ => { });
            builder.Services.AddOptions<RedisOutputCacheOptions>().Configure<IServiceProvider>((options, services) =>
            {
                options.InstanceName = FrontendRedisKeys.OutputCacheInstanceName;
                options.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetShopRedis());
            });
            DecorateStore(builder.Services);
        }

        var duration = builder.Configuration.GetValue("OutputCache:Duration", TimeSpan.FromMinutes(5));
        builder.Services.AddOutputCache(options =>
            options.AddPolicy(AnonymousCatalogCachePolicy.Name, new AnonymousCatalogCachePolicy(duration)));
        return builder;
    }

    private static void DecorateStore(IServiceCollection services)
    {
        var redisStore = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        services.Remove(redisStore);
        services.AddSingleton<IOutputCacheStore>(sp => new ResilientOutputCacheStore(
            (IOutputCacheStore)(redisStore.ImplementationInstance
                ?? redisStore.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, redisStore.ImplementationType!)),
            sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>()));
    }
}
