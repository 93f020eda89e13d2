using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Caching;

/// <summary>
/// The catalog data that rendered pages share (a list page, a product, the categories), read from the one Redis
/// output-cache store before Catalog.Api is asked. A page that must be rendered per request (a shopper with a
/// session or a sign-in) then costs Redis reads instead of HTTP calls: the shared parts of the page come from Redis,
/// only the personal parts (the badge, the name) are the shopper's own.
///
/// Why this cannot serve a stale price: every entry carries the tags Catalog.Api evicts before a write returns
/// (<c>catalog</c> on lists and categories, <c>product:{id}</c> on every product shown, the flush tag on all), in
/// the store every replica of every service shares, so the next read on any replica after the write misses and asks
/// the catalog. Nothing is held in this process. Redis trouble is a miss (<see cref="ShopOutputCache"/>'s store),
/// so the page falls back to asking the catalog, as it did before this cache existed.
/// </summary>
public sealed class CatalogReads(ICatalogApi catalog, IOutputCacheStore store, IOptions<OutputCacheOptions> options)
{
    // Apart from the pages' own keys ("storefront...") and from Catalog.Api's, under the shared prefix.
    private const string KeyPrefix = "storefront-data:";

    private readonly TimeSpan _lifetime = options.Value.DefaultExpirationTimeSpan;

    public Task<CatalogPage> GetItemsAsync(string? category, string? q, string? sort, int page, int pageSize, CancellationToken cancellationToken) =>
        ReadThroughAsync(
            KeyPrefix + ItemsKey(category, q, sort, page, pageSize),
            StorefrontJsonContext.Default.CatalogPage,
            () => catalog.GetItemsAsync(category, q, sort, page, pageSize, cancellationToken),
            TagsOf,
            cancellationToken);

    /// <summary>Names one list page in full; escaped, so no search text can spell another page's key.</summary>
    private static string ItemsKey(string? category, string? q, string? sort, int page, int pageSize) =>
        $"items?category={Uri.EscapeDataString(category ?? "")}&q={Uri.EscapeDataString(q ?? "")}&sort={Uri.EscapeDataString(sort ?? "")}&page={page}&pageSize={pageSize}";

    /// <summary>The tags Catalog.Api evicts when anything on the list page changes: any write, and each product on it.</summary>
    private static string[] TagsOf(CatalogPage page) =>
        [ShopOutputCache.CatalogTag, ShopOutputCache.EverythingTag, .. page.Items.Select(item => ShopOutputCache.ProductTag(item.Id))];

    /// <summary>One product; a product that does not exist is Catalog.Api's 404 (<see cref="Refit.ApiException"/>) every time, never cached.</summary>
    public Task<CatalogItem> GetItemAsync(int id, CancellationToken cancellationToken) =>
        ReadThroughAsync(
            $"{KeyPrefix}item/{id}",
            StorefrontJsonContext.Default.CatalogItem,
            () => catalog.GetItemAsync(id, cancellationToken),
            _ => [ShopOutputCache.ProductTag(id), ShopOutputCache.EverythingTag],
            cancellationToken);

    public Task<IReadOnlyList<CatalogCategory>> GetCategoriesAsync(CancellationToken cancellationToken) =>
        ReadThroughAsync(
            $"{KeyPrefix}categories",
            StorefrontJsonContext.Default.IReadOnlyListCatalogCategory,
            () => catalog.GetCategoriesAsync(cancellationToken),
            _ => [ShopOutputCache.CatalogTag, ShopOutputCache.EverythingTag],
            cancellationToken);

    private async Task<T> ReadThroughAsync<T>(string key, JsonTypeInfo<T> json, Func<Task<T>> origin, Func<T, string[]> tags,
        CancellationToken cancellationToken)
    {
        if (await store.GetAsync(key, cancellationToken) is { } cached && JsonSerializer.Deserialize(cached, json) is { } hit)
        {
            return hit;
        }
        var fresh = await origin();
        await store.SetAsync(key, JsonSerializer.SerializeToUtf8Bytes(fresh, json), tags(fresh), _lifetime, cancellationToken);
        return fresh;
    }
}
