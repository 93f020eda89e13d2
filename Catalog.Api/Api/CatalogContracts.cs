using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Catalog.Api.Api;

public sealed record CatalogItem(
    int Id, string Name, string Description, string Brand, decimal Price, int Stock, string Category, string ImageUrl);

public sealed record CatalogPage(IReadOnlyList<CatalogItem> Items, int Page, int PageSize, int Total);

public sealed record CategorySummary(string Slug, string Name, int Count);

/// <summary>A partial update: only the fields present are changed.</summary>
public sealed record UpdateCatalogItemRequest(string? Name, string? Description, decimal? Price, int? Stock);

/// <summary>
/// A reserve: <see cref="Quantity"/> of the route's product for <see cref="ReservationId"/>, the caller's id for
/// the whole checkout (32 lowercase hex digits). The same id and product again is the same reservation, not a new one.
/// </summary>
public sealed record StockChangeRequest(int? Quantity, string? ReservationId);

/// <summary>A reservation and the lines it holds; <see cref="State"/> is reserved, committed or released.</summary>
public sealed record StockReservation(string ReservationId, string State, IReadOnlyList<ReservedLine> Lines);

public sealed record ReservedLine(int ProductId, int Quantity);

/// <summary>
/// Query string of the item list. Bound as strings on purpose: a non-numeric <c>page</c> must become a 400
/// that names the field, not a framework binding failure with an empty body.
/// </summary>
public sealed record CatalogItemsQuery(
    [FromQuery(Name = "category")] string? Category,
    [FromQuery(Name = "q")] string? Q,
    [FromQuery(Name = "sort")] string? Sort,
    [FromQuery(Name = "page")] string? Page,
    [FromQuery(Name = "pageSize")] string? PageSize);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogItem))]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(IReadOnlyList<CategorySummary>))]
[JsonSerializable(typeof(UpdateCatalogItemRequest))]
[JsonSerializable(typeof(StockChangeRequest))]
[JsonSerializable(typeof(StockReservation))]
public sealed partial class CatalogJsonContext : JsonSerializerContext;
