namespace Shop.Cart.Api.Catalog;

/// <summary>Catalog.Api's item, as its contract defines it (the catalog owns names, prices and stock).</summary>
public sealed record CatalogItem(
    int Id, string Name, string Description, string Brand, decimal Price, int Stock, string Category, string ImageUrl);

/// <summary>Body of the catalog's stock reserve and release calls.</summary>
public sealed record StockChange(int Quantity);
