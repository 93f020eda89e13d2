namespace Shop.Catalog.Api.Caching;

/// <summary>
/// Every name the catalog's output cache uses in Redis, in one place. The Redis store writes
/// <c>shop:oc:__MSOCV_{key}</c> (an entry, TTL = <see cref="EntryLifetime"/>) and a tag index:
/// <c>shop:oc:__MSOCT_{tag}</c> (sorted set of entry keys) and <c>shop:oc:__MSOCT</c> (sorted set of tags).
/// The store leaves the index without a TTL; <see cref="TagIndexExpiryStore"/> gives it one.
/// </summary>
public static class CatalogCacheNames
{
    /// <summary>Key prefix of every output-cache key (shared by all services that output cache).</summary>
    public const string InstanceName = "shop:oc:";

    /// <summary>The named policy of every catalog GET.</summary>
    public const string Policy = "catalog";

    /// <summary>Query keys a list varies by; anything else in the query string shares the entry.</summary>
    public static readonly string[] VaryByQueryKeys = ["category", "q", "sort", "page", "pageSize"];

    /// <summary>
    /// How long an entry lives without a write. Writes evict precisely, so this only bounds staleness when
    /// an eviction was lost (Redis unreachable during a write).
    /// </summary>
    public static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The store's tag-index key of a tag (format of Microsoft.AspNetCore.OutputCaching.StackExchangeRedis).</summary>
    public static string TagIndexKey(string tag) => $"{InstanceName}__MSOCT_{tag}";

    /// <summary>The store's index of all tags, swept by its garbage collector.</summary>
    public const string TagMasterKey = InstanceName + "__MSOCT";

    /// <summary>On every list and on the categories: any write can change them.</summary>
    public const string CatalogTag = "catalog";

    /// <summary>On every catalog entry, so the dashboard's "flush" is one eviction.</summary>
    public const string EverythingTag = "catalog:all";

    /// <summary>On the item, its image and every list page that shows the product.</summary>
    public static string ProductTag(int id) => $"product:{id}";
}
