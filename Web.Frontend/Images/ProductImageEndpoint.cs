using Microsoft.AspNetCore.Http.HttpResults;
using Refit;
using Shop.Web.Frontend.Caching;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Images;

/// <summary>
/// <c>/images/products/{id}</c>: the product's SVG, fetched from Catalog.Api (internal, not reachable by
/// browsers). Same bytes for everyone, so it is output cached in Redis and cached by browsers for a day.
/// </summary>
public static class ProductImageEndpoint
{
    // min(1): the catalog has no id below 1 and answers 400 for one; here it is simply a page that does not exist.
    public const string Route = "/images/products/{id:int:min(1)}";

    public static string UrlFor(int productId) => $"/images/products/{productId}";

    public static RouteHandlerBuilder MapProductImages(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, GetAsync)
            .CacheOutput(AnonymousCatalogCachePolicy.Name)
            .WithName("ProductImage");

    internal static async Task<Results<FileContentHttpResult, NotFound>> GetAsync(
        int id, ICatalogApi catalog, HttpContext context, CancellationToken cancellationToken)
    {
        using var response = await catalog.GetImageAsync(id, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return TypedResults.NotFound();
        }
        response.EnsureSuccessStatusCode();
        context.TagCachedResponse(ShopOutputCache.ProductTag(id));
        context.Response.Headers.CacheControl = "public, max-age=86400";
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return TypedResults.File(bytes, "image/svg+xml");
    }
}
