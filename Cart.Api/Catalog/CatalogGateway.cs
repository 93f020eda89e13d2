using System.Net;
using Polly;
using Refit;

namespace Shop.Cart.Api.Catalog;

public enum ReservationStatus { Reserved, InsufficientStock, UnknownProduct }

public sealed record Reservation(ReservationStatus Status, CatalogItem? Item);

/// <summary>
/// Turns catalog HTTP answers into what the cart needs to know: item or no item, reserved or not. Any answer
/// that is not a decision (no response, 5xx, 401/403) becomes <see cref="CatalogUnavailableException"/>.
/// </summary>
public sealed class CatalogGateway(ICatalogClient client, ILogger<CatalogGateway> logger)
{
    /// <summary>The catalog is asked at most this many items at once when a cart is displayed.</summary>
    private const int LookupParallelism = 8;

    /// <summary>The item, or null when the catalog does not know the id.</summary>
    public async Task<CatalogItem?> FindItemAsync(int productId, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => client.GetItemAsync(productId, cancellationToken), cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : Success(response, "read item");
    }

    /// <summary>The items the catalog knows, by id; ids it does not know are absent.</summary>
    public async Task<IReadOnlyDictionary<int, CatalogItem>> FindItemsAsync(IEnumerable<int> productIds, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<int, CatalogItem>();
        await Parallel.ForEachAsync(productIds,
            new ParallelOptions { MaxDegreeOfParallelism = LookupParallelism, CancellationToken = cancellationToken },
            async (id, ct) =>
            {
                if (await FindItemAsync(id, ct) is { } item)
                {
                    found[id] = item;
                }
            });
        return found;
    }

    public async Task<Reservation> ReserveAsync(int productId, int quantity, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            () => client.ReserveStockAsync(productId, new StockChange(quantity), cancellationToken), cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Conflict => new Reservation(ReservationStatus.InsufficientStock, null),
            HttpStatusCode.NotFound => new Reservation(ReservationStatus.UnknownProduct, null),
            _ => new Reservation(ReservationStatus.Reserved, Success(response, "reserve stock")),
        };
    }

    public async Task ReleaseAsync(int productId, int quantity, CancellationToken cancellationToken)
    {
        var response = await CallAsync(
            () => client.ReleaseStockAsync(productId, new StockChange(quantity), cancellationToken), cancellationToken);
        Success(response, "release stock");
    }

    private CatalogItem Success(IApiResponse<CatalogItem> response, string what)
    {
        if (response.IsSuccessful && response.Content is { } item)
        {
            return item;
        }
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            logger.LogError("Catalog.Api refused the stock token ({Status}) for {What}: check Tokens:Stock:Key.", (int?)response.StatusCode, what);
        }
        throw new CatalogUnavailableException($"Catalog.Api could not {what} (HTTP {(int?)response.StatusCode}).", response.Error);
    }

    private static async Task<IApiResponse<CatalogItem>> CallAsync(
        Func<Task<IApiResponse<CatalogItem>>> call, CancellationToken cancellationToken)
    {
        IApiResponse<CatalogItem> response;
        try
        {
            response = await call();
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException or ApiException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new CatalogUnavailableException("Catalog.Api is unreachable.", ex);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (!response.IsReceived)
        {
            throw new CatalogUnavailableException("Catalog.Api is unreachable.", response.Error);
        }
        return response;
    }
}
