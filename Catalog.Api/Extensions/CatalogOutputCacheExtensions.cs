using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Catalog.Api.Caching;
using StackExchange.Redis;

namespace Shop.Catalog.Api.Extensions;

public static class CatalogOutputCacheExtensions
{
    /// <summary>
    /// One output cache for all replicas, in Redis, through the process's one multiplexer. Entries vary by
    /// the list's query keys but not by host, so the entry replica A made is a hit on replica B whatever
    /// host name the caller used. The store is wrapped twice: tag-index keys get a TTL, and Redis failures
    /// turn into misses instead of 5xx.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogOutputCache(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        // DEMONSTRATION baselines for bench/Shop.Bench: every read from SQLite, or a cache per replica.
        var cacheOff = builder.IsBaselineOn(BaselineExtensions.OutputCacheOff,
            "the catalog caches nothing, so every read goes to SQLite.");
        var inMemory = !cacheOff && builder.IsBaselineOn(BaselineExtensions.InMemoryOutputCache,
            "the catalog's output cache is in this replica's memory: each replica misses on its own and a write evicts only here, so the others serve the old price until the entry expires.");
        services.AddOutputCache(options =>
        {
            options.DefaultExpirationTimeSpan = CatalogCacheNames.EntryLifetime;
            options.AddPolicy(CatalogCacheNames.Policy, policy => (cacheOff ? policy.NoCache() : policy)
                .SetVaryByHost(false)
                .SetVaryByQuery(CatalogCacheNames.VaryByQueryKeys)
                .Expire(CatalogCacheNames.EntryLifetime)
                .Tag(CatalogCacheNames.EverythingTag));
        });
        services.AddSingleton<CatalogCacheMetrics>();
        services.AddSingleton<CatalogCacheInvalidator>();
        if (inMemory)
        {
            // AddOutputCache's own per-process memory store stays registered.
            return builder;
        }

        services.AddStackExchangeRedisOutputCache(options => options.InstanceName = CatalogCacheNames.InstanceName);
        services.AddOptions<RedisOutputCacheOptions>().Configure<IServiceProvider>((options, sp) =>
            options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetRequiredService<IConnectionMultiplexer>()));

        DecorateOutputCacheStore(services);
        return builder;
    }

    private static void DecorateOutputCacheStore(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IOutputCacheStore));
        var redisStoreType = registered.ImplementationType
            ?? throw new InvalidOperationException("Expected the Redis output-cache store to be registered by type.");
        // Also drops the in-memory store AddOutputCache registered: a per-process cache is exactly what we avoid.
        services.RemoveAll<IOutputCacheStore>();
        services.AddSingleton<IOutputCacheStore>(sp =>
        {
            var redis = sp.GetRequiredService<IConnectionMultiplexer>();
            var redisStore = (IOutputCacheStore)ActivatorUtilities.CreateInstance(sp, redisStoreType);
            return new ResilientOutputCacheStore(
                new TagIndexExpiryStore(redisStore, redis),
                redis,
                sp.GetRequiredService<CatalogCacheMetrics>(),
                sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>());
        });
    }
}
