using Microsoft.AspNetCore.OutputCaching;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// Tags known only once the handler has the data (the products on a list page). The middleware reads
/// <see cref="OutputCacheContext.Tags"/> when it stores the response, after the handler ran.
/// </summary>
public static class CatalogCacheTagging
{
    public static void TagCachedResponse(this HttpContext context, string tag) =>
        context.Features.Get<IOutputCacheFeature>()?.Context.Tags.Add(tag);

    public static void TagCachedResponse(this HttpContext context, IEnumerable<int> productIds)
    {
        if (context.Features.Get<IOutputCacheFeature>()?.Context.Tags is { } tags)
        {
            foreach (var id in productIds)
            {
                tags.Add(CatalogCacheNames.ProductTag(id));
            }
        }
    }
}
