using Microsoft.AspNetCore.OutputCaching;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// Evicts what a write changed, before the write's response is sent: once a client sees the write
/// succeed, no replica serves the old price or stock from the shared cache. (Tag eviction is not atomic:
/// a read that loaded the old row just before the write and stores just after the eviction can survive
/// until it expires; the window is one SQLite read long.)
/// </summary>
public sealed class CatalogCacheInvalidator(IOutputCacheStore store)
{
    public async Task ProductChangedAsync(int id, CancellationToken cancellationToken)
    {
        await store.EvictByTagAsync(CatalogCacheNames.ProductTag(id), cancellationToken);
        await store.EvictByTagAsync(CatalogCacheNames.CatalogTag, cancellationToken);
    }

    public Task FlushAsync(CancellationToken cancellationToken) =>
        store.EvictByTagAsync(CatalogCacheNames.EverythingTag, cancellationToken).AsTask();
}
