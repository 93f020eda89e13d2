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

public sealed record StockChangeRequest(int? Quantity);

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
public sealed partial class CatalogJsonContext : JsonSerializerContext;
