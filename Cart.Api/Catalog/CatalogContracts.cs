namespace Shop.Cart.Api.Catalog;

/// <summary>Catalog.Api's item, as its contract defines it (the catalog owns names, prices and stock).</summary>
public sealed record CatalogItem(
    int Id, string Name, string Description, string Brand, decimal Price, int Stock, string Category, string ImageUrl);

/// <summary>
/// Body of the catalog's stock reserve call. <see cref="ReservationId"/> names the whole checkout attempt: the
/// catalog takes the stock for one (reservation, product) once, however often the call is repeated.
/// </summary>
public sealed record StockChange(int Quantity, string ReservationId);

/// <summary>A reservation as the catalog reports it after a release or commit; <see cref="State"/> is reserved, committed or released.</summary>
public sealed record StockReservation(string ReservationId, string State, IReadOnlyList<ReservedLine> Lines);

public sealed record ReservedLine(int ProductId, int Quantity);
