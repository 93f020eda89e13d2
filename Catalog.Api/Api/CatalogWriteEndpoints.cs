using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Catalog.Api.Caching;
using Shop.Catalog.Api.Data;

namespace Shop.Catalog.Api.Api;

/// <summary>
/// The writes. Operators' (a price, the flush) need the admin key (<see cref="AdminApiKey"/>); Cart.Api's stock
/// reservations need its Stock token (<see cref="ServiceTokens.Stock"/>): two credentials, so neither holder can do
/// the other's work. Each write changes SQLite in one statement or transaction and then evicts the product's and the
/// lists' cache entries before it answers.
/// Stock moves only under a reservation id: a reserve repeated with the same id and product is answered again without
/// taking more, and a release gives back what the reservation holds exactly once, so a caller that lost an answer can
/// simply ask again. Reserved → committed (an order holds it) or released (the stock is back), never both.
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

        var reservations = api.MapGroup("/reservations/{reservationId}")
            .RequireAuthorization(policy => policy.RequireClaim(ServiceTokens.ScopeClaim, "stock"))
            .RequireRateLimiting(StockPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        reservations.MapPost("/release", ReleaseReservation).WithName("ReleaseStockReservation");
        reservations.MapPost("/commit", CommitReservation).WithName("CommitStockReservation");
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

    public static async Task<Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem>> ReserveStock(
        string id, HttpRequest request, CatalogRepository repository, CatalogCacheInvalidator cache)
    {
        if (!CatalogQueryValidation.TryParseId(id, out var productId, out var idErrors))
        {
            return TypedResults.ValidationProblem(idErrors);
        }
        var body = await JsonBody.ReadAsync(request, CatalogJsonContext.Default.StockChangeRequest, request.HttpContext.RequestAborted);
        if (body.Value is not { } change)
        {
            return BodyProblem(body);
        }
        if (CatalogQueryValidation.Validate(change) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Not cancelled by the client: a reservation that committed must also evict.
        var (outcome, item) = await repository.ReserveAsync(change.ReservationId!, productId, change.Quantity!.Value, CancellationToken.None);
        switch (outcome)
        {
            case ReserveOutcome.NotFound:
                return CatalogReadEndpoints.NotFound(productId);
            case ReserveOutcome.InsufficientStock:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Not enough stock.",
                    detail: $"Product {productId} has {item!.Stock} in stock; {change.Quantity} requested. Nothing was reserved.",
                    extensions: new Dictionary<string, object?> { ["productId"] = productId, ["available"] = item.Stock });
            case ReserveOutcome.Closed:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status410Gone,
                    title: "The reservation is closed.",
                    detail: $"Reservation {change.ReservationId} was released or committed; it takes no more stock. Nothing was reserved.");
            case ReserveOutcome.Mismatch:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "The reservation holds another quantity.",
                    detail: $"Reservation {change.ReservationId} already holds a different quantity of product {productId}. Nothing changed.");
            case ReserveOutcome.Repeated:
                return TypedResults.Ok(item!);
            default:
                await cache.ProductChangedAsync(productId, CancellationToken.None);
                return TypedResults.Ok(item!);
        }
    }

    public static async Task<Results<Ok<StockReservation>, ProblemHttpResult, ValidationProblem>> ReleaseReservation(
        string reservationId, CatalogRepository repository, CatalogCacheInvalidator cache)
    {
        if (!CatalogQueryValidation.IsReservationId(reservationId))
        {
            return InvalidReservationId();
        }
        // Not cancelled by the client: stock that went back must also evict.
        var (outcome, reservation) = await repository.ReleaseReservationAsync(reservationId, CancellationToken.None);
        if (outcome == ReservationOutcome.Conflict)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The reservation is committed.",
                detail: $"Reservation {reservationId} belongs to a placed order; its stock is not released.");
        }
        if (outcome == ReservationOutcome.Changed)
        {
            foreach (var line in reservation.Lines)
            {
                await cache.ProductChangedAsync(line.ProductId, CancellationToken.None);
            }
        }
        return TypedResults.Ok(reservation);
    }

    public static async Task<Results<Ok<StockReservation>, ProblemHttpResult, ValidationProblem>> CommitReservation(
        string reservationId, CatalogRepository repository)
    {
        if (!CatalogQueryValidation.IsReservationId(reservationId))
        {
            return InvalidReservationId();
        }
        var (outcome, reservation) = await repository.CommitReservationAsync(reservationId, CancellationToken.None);
        return outcome switch
        {
            ReservationOutcome.NotFound => TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound, title: $"There is no reservation {reservationId}."),
            ReservationOutcome.Conflict => TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The reservation is released.",
                detail: $"Reservation {reservationId} was released; there is no stock behind it to commit."),
            _ => TypedResults.Ok(reservation!),
        };
    }

    public static async Task<NoContent> FlushCache(CatalogCacheInvalidator cache, CancellationToken cancellationToken)
    {
        await cache.FlushAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static ValidationProblem InvalidReservationId() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reservationId"] = [CatalogQueryValidation.ReservationIdRule] });

    private static Results<Ok<CatalogItem>, ProblemHttpResult, ValidationProblem> BodyProblem<T>(JsonBodyResult<T> body) where T : class =>
        body.UnsupportedMediaType
            ? (ProblemHttpResult)JsonBody.UnsupportedMediaType()
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [body.Field!] = [body.Error!] });
}
