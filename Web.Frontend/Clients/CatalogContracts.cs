namespace Shop.Web.Frontend.Clients;

/// <summary>One product as Catalog.Api returns it (see the cross-service contract).</summary>
public sealed record CatalogItem(
    int Id, string Name, string Description, string Brand, decimal Price, int Stock, string Category, string ImageUrl);

public sealed record CatalogPage(IReadOnlyList<CatalogItem> Items, int Page, int PageSize, int Total);

public sealed record CatalogCategory(string Slug, string Name, int Count);
