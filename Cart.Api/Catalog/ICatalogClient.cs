using Refit;

namespace Shop.Cart.Api.Catalog;

/// <summary>
/// Catalog.Api as Cart.Api sees it. Methods return <see cref="IApiResponse{T}"/> so a 404 or 409 is an answer
/// to inspect, not an exception; <see cref="CatalogGateway"/> turns those answers into cart decisions.
/// The Stock token is added by <see cref="StockTokenHandler"/>.
/// </summary>
public interface ICatalogClient
{
    [Get("/api/catalog/items/{id}")]
    Task<IApiResponse<CatalogItem>> GetItemAsync(int id, CancellationToken cancellationToken);

    [Post("/api/catalog/items/{id}/stock/reserve")]
    Task<IApiResponse<CatalogItem>> ReserveStockAsync(int id, [Body] StockChange change, CancellationToken cancellationToken);

    [Post("/api/catalog/reservations/{reservationId}/release")]
    Task<IApiResponse<StockReservation>> ReleaseReservationAsync(string reservationId, CancellationToken cancellationToken);

    [Post("/api/catalog/reservations/{reservationId}/commit")]
    Task<IApiResponse<StockReservation>> CommitReservationAsync(string reservationId, CancellationToken cancellationToken);
}
