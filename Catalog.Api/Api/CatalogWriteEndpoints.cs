using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Catalog.Api.Caching;
using Shop.Catalog.Api.Data;

namespace Shop.Catalog.Api.Api;

/// <summary>
/// The writes. Operators' (a price, the flush) need the admin key (<see cref="AdminApiKey"/>); Cart.Api's stock
/// reservations need its Stock token (<see cref="ServiceTokens.Stock"/>): two credentials, so neither holder can do
/// the other's work. Each write changes SQLite in a single statement and then evicts the product's and the lists'
/// cache entries before it answers.
/// </summary>
public static class CatalogWriteEndpoints
{
    /// <summary>Operators' writes, counted per client address (so a wrong key costs the caller, not a fresh bucket).</summary>
    public const string AdminPolicy = "admin-write";

    /// <summary>Stock reservations and releases, counted per caller (the token's subject: every Cart.Api replica).</summary>
    public const string StockPolicy = "stock-write";

    public static RouteGroupBuilder MapCatalogWrites(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("").RequireAdminApiKey().RequireRateLimiting(AdminPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        admin.MapPut("/items/{id}", UpdateItem).WithName("UpdateCatalogItem")
            .Accepts<UpdateCatalogItemRequest>("application/json");
        admin.MapPost("/admin/cache/flush", FlushCache).WithName("FlushCatalogCache");

        var stock = api.MapGroup("/items/{id}/stock")
            .RequireAuthorization(policy => policy.RequireClaim(ServiceTokens.ScopeClaim, "stock"))
            .RequireRateLimiting(StockPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        stock.MapPost("/reserve", ReserveStock).WithName("ReserveCatalogStock")
            .Accepts<StockChangeRequest>("application/json");
        stock.MapPost("/release", ReleaseStock).WithName("ReleaseCatalogStock")
            .Accepts<StockChangeRequest>("application/json");
        return api;
    }

    public static async Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> UpdateItem(
        string id, HttpRequest request, CatalogRepository repository, CatalogCacheInvalidator cache)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var idErrors))
        {
            return TypedResults.ValidationProblem(idErrors);
        }
        var body = await JsonBody.ReadAsync(request, CatalogJsonContext.Default.UpdateCatalogItemRequest, request.HttpContext.RequestAborted);
        if (body.Value is not { } update)
        {
            return BodyProblem(body);
        }
        if (CatalogQueryValidation.Validate(update) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var item = await repository.UpdateAsync(productId, update, request.HttpContext.RequestAborted);
        if (item is null)
        {
            return CatalogReadEndpoints.NotFound(productId);
        }
        await cache.ProductChangedAsync(productId, CancellationToken.None);
        return TypedResults.Ok(item);
    }

    public static Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> ReserveStock(
        string id, HttpRequest request, CatalogRepository repository, CatalogCacheInvalidator cache) =>
        ChangeStockAsync(id, request, cache, repository.ReserveAsync);

    public static Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> ReleaseStock(
        string id, HttpRequest request, CatalogRepository repository, CatalogCacheInvalidator cache) =>
        ChangeStockAsync(id, request, cache, repository.ReleaseAsync);

    public static async Task<NoContent> FlushCache(CatalogCacheInvalidator cache, CancellationToken cancellationToken)
    {
        await cache.FlushAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> ChangeStockAsync(
        string id,
        HttpRequest request,
        CatalogCacheInvalidator cache,
        Func<int, int, CancellationToken, Task<(StockChangeOutcome Outcome, CatalogItem? Item)>> change)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var idErrors))
        {
            return TypedResults.ValidationProblem(idErrors);
        }
        var body = await JsonBody.ReadAsync(request, CatalogJsonContext.Default.StockChangeRequest, request.HttpContext.RequestAborted);
        if (body.Value is not { } stockChange)
        {
            return BodyProblem(body);
        }
        if (CatalogQueryValidation.Validate(stockChange) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Not cancelled by the client: a reservation that committed must also evict.
        var (outcome, item) = await change(productId, stockChange.Quantity!.Value, CancellationToken.None);
        switch (outcome)
        {
            case StockChangeOutcome.NotFound:
                return CatalogReadEndpoints.NotFound(productId);
            case StockChangeOutcome.InsufficientStock:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Not enough stock.",
                    detail: $"Product {productId} has {item!.Stock} in stock; {stockChange.Quantity} requested. Nothing was reserved.",
                    extensions: new Dictionary<string, object?> { ["productId"] = productId, ["available"] = item.Stock });
            default:
                await cache.ProductChangedAsync(productId, CancellationToken.None);
                return TypedResults.Ok(item!);
        }
    }

    private static Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem> BodyProblem<T>(JsonBodyResult<T> body) where T : class =>
        body.UnsupportedMediaType
            ? (ProblemHttpResult)JsonBody.UnsupportedMediaType()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [body.Field!] = [body.Error!] });
}
