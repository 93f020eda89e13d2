using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.OutputCaching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.OutputCaching;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// One output cache for every replica of every service, in Redis, and the contract the services share: the key
/// prefix and the tag names. Because the catalog and the storefront write into the same prefix, a tag the
/// catalog evicts after a write (<see cref="ProductTag"/>, <see cref="CatalogTag"/>) removes the storefront's
/// entries that carry it too, on every replica, before the write returns.
/// </summary>
public static class ShopOutputCache
{
    /// <summary>
    /// Prefix of every output-cache key. The Redis store writes <c>shop:oc:__MSOCV_{key}</c> (an entry, TTL = its
    /// lifetime) and a tag index: <c>shop:oc:__MSOCT_{tag}</c> (sorted set of entry keys) and <c>shop:oc:__MSOCT</c>
    /// (sorted set of tags), which <see cref="ResilientOutputCacheStore"/> gives a TTL.
    /// </summary>
    public const string KeyPrefix = "shop:oc:";

    /// <summary>On everything a catalog write can change (every list, the categories): evicted by any write.</summary>
    public const string CatalogTag = "catalog";

    /// <summary>
    /// On every entry of every service (the catalog's responses, the storefront's pages and images), so the
    /// dashboard's "flush" is one eviction that leaves no page behind.
    /// </summary>
    public const string EverythingTag = "catalog:all";

    /// <summary>On everything that shows one product (its item, its image, every list page with it).</summary>
    public static string ProductTag(int productId) => $"product:{productId}";

    /// <summary>The store's tag-index key of a tag (format of Microsoft.AspNetCore.OutputCaching.StackExchangeRedis).</summary>
    public static string TagIndexKey(string tag) => $"{KeyPrefix}__MSOCT_{tag}";

    /// <summary>The store's index of all tags, swept by its garbage collector.</summary>
    public const string TagMasterKey = KeyPrefix + "__MSOCT";

    /// <summary>
    /// The output cache with the service's policies, stored in Redis through the process's one multiplexer
    /// behind <see cref="ResilientOutputCacheStore"/> (Redis trouble is a miss, never a 5xx). Entry lifetime
    /// <c>OutputCache:Duration</c>. Nothing is cached unless an endpoint opts in with <c>CacheOutput(policy)</c>.
    /// </summary>
    public static TBuilder AddShopOutputCache<TBuilder>(this TBuilder builder, Action<OutputCacheOptions> addPolicies)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        var duration = builder.Configuration.GetValue<TimeSpan?>("OutputCache:Duration")
            ?? throw new InvalidOperationException("OutputCache:Duration (the lifetime of an output-cache entry) is not configured.");
        services.AddOutputCache(options =>
        {
            options.DefaultExpirationTimeSpan = duration;
            addPolicies(options);
        });
        services.TryAddSingleton<OutputCacheMetrics>();

        // DEMONSTRATION baseline (bench/Shop.Bench): AddOutputCache's own per-process memory store stays.
        if (builder.IsBaselineOn(BaselineExtensions.InMemoryOutputCache,
                "the output cache is in this replica's memory: each replica misses on its own and a write evicts only here, so the others serve the old price until the entry expires."))
        {
            return builder;
        }

        services.AddStackExchangeRedisOutputCache(options => options.InstanceName = KeyPrefix);
        services.AddOptions<RedisOutputCacheOptions>().Configure<IServiceProvider>((options, sp) =>
            options.ConnectionMultiplexerFactory = () => Task.FromResult(sp.GetShopRedis()));
        // Also drops the memory store AddOutputCache registered: a per-process cache is exactly what we avoid.
        services.DecorateLast<IOutputCacheStore>((sp, redisStore) => new ResilientOutputCacheStore(
            redisStore,
            sp.GetShopRedis(),
            sp.GetRequiredService<RedisAvailability>(),
            sp.GetRequiredService<OutputCacheMetrics>(),
            sp.GetRequiredService<ILogger<ResilientOutputCacheStore>>()));
        return builder;
    }

    /// <summary>
    /// Tags known only once the handler has the data (the products on a list page). The middleware reads the
    /// tags when it stores the response, after the handler ran; outside the output cache this does nothing.
    /// </summary>
    public static void TagCachedResponse(this HttpContext context, string tag) =>
        context.Features.Get<IOutputCacheFeature>()?.Context.Tags.Add(tag);

    public static void TagCachedResponse(this HttpContext context, IEnumerable<int> productIds)
    {
        if (context.Features.Get<IOutputCacheFeature>()?.Context.Tags is { } tags)
        {
            foreach (var id in productIds)
            {
                tags.Add(ProductTag(id));
            }
        }
    }
}
