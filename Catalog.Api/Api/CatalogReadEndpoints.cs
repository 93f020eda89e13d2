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
        string id, CatalogRepository repository, HttpContext context) =>
        await FindTaggedAsync(id, repository, context) switch
        {
            ({ } item, _) => TypedResults.Ok(item),
            (_, ValidationProblem invalid) => invalid,
            (_, var notFound) => (ProblemHttpResult)notFound!,
        };

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> GetImage(
        string id, CatalogRepository repository, HttpContext context)
    {
        switch (await FindTaggedAsync(id, repository, context))
        {
            case ({ } item, _):
                context.Response.Headers.CacheControl = ProductImage.CacheControl;
                return TypedResults.Text(ProductImage.Render(item.Id, item.Name), ProductImage.ContentType);
            case (_, ValidationProblem invalid):
                return invalid;
            case (_, var notFound):
                return (ProblemHttpResult)notFound!;
        }
    }

    /// <summary>The product the route names, tagged for eviction by its own writes; or the 400/404 to answer.</summary>
    private static async Task<(CatalogItem? Item, IResult? Error)> FindTaggedAsync(string id, CatalogRepository repository, HttpContext context)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var errors))
        {
            return (null, TypedResults.ValidationProblem(errors));
        }
        if (await repository.FindAsync(productId, context.RequestAborted) is not { } item)
        {
            return (null, NotFound(productId));
        }
        context.TagCachedResponse(ShopOutputCache.ProductTag(productId));
        return (item, null);
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
