using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Catalog.Api.Caching;
using Shop.Catalog.Api.Data;
using Shop.Catalog.Api.Images;

namespace Shop.Catalog.Api.Api;

/// <summary>The catalog GETs. All are output cached in Redis (policy <see cref="CatalogCache.Policy"/>).</summary>
public static class CatalogReadEndpoints
{
    public static RouteGroupBuilder MapCatalogReads(this RouteGroupBuilder api)
    {
        var reads = api.MapGroup("").CacheOutput(CatalogCache.Policy);
        reads.MapGet("/items", ListItems).WithName("ListCatalogItems");
        reads.MapGet("/items/{id}", GetItem).WithName("GetCatalogItem");
        reads.MapGet("/items/{id}/image", GetImage).WithName("GetCatalogItemImage")
            .Produces(StatusCodes.Status200OK, contentType: ProductImage.ContentType);
        reads.MapGet("/categories", ListCategories).WithName("ListCatalogCategories");
        return api;
    }

    public static async Task<Results<Ok<CatalogPage>, ValidationProblem>> ListItems(
        [AsParameters] CatalogItemsQuery query, CatalogRepository repository, HttpContext context)
    {
        if (!CatalogQueryValidation.TryValidate(query, out var request, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var page = await repository.ListAsync(request, context.RequestAborted);
        // A list shows these products' prices and stock: a write to any of them must evict this page.
        context.TagCachedResponse(ShopOutputCache.CatalogTag);
        context.TagCachedResponse(page.Items.Select(item => item.Id));
        return TypedResults.Ok(page);
    }

    public static async Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> GetItem(
        string id, CatalogRepository repository, HttpContext context)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var item = await repository.FindAsync(productId, context.RequestAborted);
        if (item is null)
        {
            return NotFound(productId);
        }
        context.TagCachedResponse(ShopOutputCache.ProductTag(productId));
        return TypedResults.Ok(item);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> GetImage(
        string id, CatalogRepository repository, HttpContext context)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var errors))
        {
            return TypedResults.ValidationProblem(errors);
        }

        var item = await repository.FindAsync(productId, context.RequestAborted);
        if (item is null)
        {
            return NotFound(productId);
        }
        context.TagCachedResponse(ShopOutputCache.ProductTag(productId));
        context.Response.Headers.CacheControl = ProductImage.CacheControl;
        return TypedResults.Text(ProductImage.Render(item.Id, item.Name), ProductImage.ContentType);
    }

    public static async Task<Ok<IReadOnlyList<CategorySummary>>> ListCategories(CatalogRepository repository, HttpContext context)
    {
        var categories = await repository.CategoriesAsync(context.RequestAborted);
        context.TagCachedResponse(ShopOutputCache.CatalogTag);
        return TypedResults.Ok(categories);
    }

    internal static ProblemHttpResult NotFound(int id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"There is no product {id}.");
}
