using Microsoft.AspNetCore.OutputCaching;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// The catalog's use of the shared output cache (<see cref="ShopOutputCache"/>): one named policy for every GET,
/// and the evictions a write makes.
/// </summary>
public static class CatalogCache
{
    /// <summary>The named policy of every catalog GET.</summary>
    public const string Policy = "catalog";

    /// <summary>Query keys a list varies by; anything else in the query string shares the entry.</summary>
    public static readonly string[] VaryByQueryKeys = ["category", "q", "sort", "page", "pageSize"];

    /// <summary>
    /// Varied by query, not by host, so the entry replica A made is a hit on replica B whatever host name the
    /// caller used. <c>Baseline:OutputCacheOff</c> (a DEMONSTRATION switch for bench/Shop.Bench) caches nothing,
    /// so every read goes to SQLite: the origin the cache is measured against.
    /// </summary>
    public static void AddCatalogPolicy(this OutputCacheOptions options, bool cacheOff) =>
        options.AddPolicy(Policy, policy => (cacheOff ? policy.NoCache() : policy)
            .SetVaryByHost(false)
            .SetVaryByQuery(VaryByQueryKeys)
            .Tag(ShopOutputCache.EverythingTag));
}

/// <summary>
/// Evicts what a write changed, before the write's response is sent: once a client sees the write succeed, no
/// replica serves the old price or stock from the shared cache, neither the catalog's own entries nor the
/// storefront's pages that carry the same tags. (Tag eviction is not atomic: a read that loaded the old row just
/// before the write and stores just after the eviction can survive until it expires; the window is one SQLite
/// read long.)
/// </summary>
public sealed class CatalogCacheInvalidator(IOutputCacheStore store)
{
    public async Task ProductChangedAsync(int id, CancellationToken cancellationToken)
    {
        await store.EvictByTagAsync(ShopOutputCache.ProductTag(id), cancellationToken);
        await store.EvictByTagAsync(ShopOutputCache.CatalogTag, cancellationToken);
    }

    public Task FlushAsync(CancellationToken cancellationToken) =>
        store.EvictByTagAsync(ShopOutputCache.EverythingTag, cancellationToken).AsTask();
}
