using System.Net;
using Microsoft.Extensions.Options;
using Polly;
using Refit;

namespace Shop.Cart.Api.Catalog;

/// <summary><see cref="Closed"/>: the catalog already released (or committed) this reservation, so it takes no more stock.</summary>
public enum ReservationStatus { Reserved, InsufficientStock, UnknownProduct, Closed }

public sealed record Reservation(ReservationStatus Status, CatalogItem? Item);

/// <summary>
/// Turns catalog HTTP answers into what the cart needs to know: item or no item, reserved or not. Any answer
/// that is not a decision (no response, 5xx, 401/403) becomes <see cref="CatalogUnavailableException"/>.
/// </summary>
public sealed class CatalogGateway(
    ICatalogClient client, IOptions<CheckoutOptions> options, TimeProvider time, ILogger<CatalogGateway> logger)
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

    /// <summary>
    /// Reserves one line under <paramref name="reservationId"/>, retried up to <c>Checkout:ReserveAttempts</c> times
    /// when the catalog gives no decision: the id makes a retry of a reserve the catalog already applied a no-op.
    /// </summary>
    public Task<Reservation> ReserveAsync(string reservationId, int productId, int quantity, CancellationToken cancellationToken) =>
        RetryAsync(options.Value.ReserveAttempts, "reserve", reservationId, async () =>
        {
            var response = await CallAsync(
                () => client.ReserveStockAsync(productId, new StockChange(quantity, reservationId), cancellationToken), cancellationToken);
            return response.StatusCode switch
            {
                HttpStatusCode.Conflict => new Reservation(ReservationStatus.InsufficientStock, null),
                HttpStatusCode.NotFound => new Reservation(ReservationStatus.UnknownProduct, null),
                HttpStatusCode.Gone => new Reservation(ReservationStatus.Closed, null),
                _ => new Reservation(ReservationStatus.Reserved, Success(response, "reserve stock")),
            };
        }, cancellationToken);

    /// <summary>
    /// Gives back everything <paramref name="reservationId"/> holds, including a line whose reserve answer was lost.
    /// True when released (now or before); false when the catalog says an order holds it (committed), which this
    /// service never asks to release on purpose. Each try is bounded by <c>Checkout:ReleaseTimeout</c>, and all of
    /// them by <paramref name="within"/> when given (what is left of a checkout's budget): past either, the release
    /// counts as unanswered (<see cref="CatalogUnavailableException"/>) and the sweep releases later.
    /// </summary>
    public async Task<bool> ReleaseAsync(string reservationId, TimeSpan? within, CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (within is { } limit)
        {
            budget.CancelAfter(limit);
        }
        return await RetryAsync(options.Value.ReleaseAttempts, "release", reservationId, async () =>
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
            timeout.CancelAfter(options.Value.ReleaseTimeout);
            var response = await CallAsync(() => client.ReleaseReservationAsync(reservationId, timeout.Token), cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return false;
            }
            Success(response, "release stock");
            return true;
        }, budget.Token);
    }

    /// <summary>Tells the catalog an order holds the reservation, so no release can return its stock any more. One try.</summary>
    public async Task CommitAsync(string reservationId, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => client.CommitReservationAsync(reservationId, cancellationToken), cancellationToken);
        Success(response, "commit a reservation");
    }

    /// <summary>Tries <paramref name="call"/> again while tries and <c>Checkout:RetryWindow</c> are left and <paramref name="stop"/> is not set.</summary>
    private async Task<T> RetryAsync<T>(int attempts, string what, string reservationId, Func<Task<T>> call, CancellationToken stop)
    {
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (CatalogUnavailableException ex) when (attempt < attempts && time.GetElapsedTime(started) < options.Value.RetryWindow
                                                         && !stop.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Catalog gave no answer to {What} of reservation {ReservationId} (try {Attempt} of {Attempts}); trying again.",
                    what, reservationId, attempt, attempts);
                // A stop during the pause ends it early; the next try then fails at once and ends the loop.
                await Task.Delay(options.Value.RetryDelay, time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private T Success<T>(IApiResponse<T> response, string what)
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

    private static async Task<IApiResponse<T>> CallAsync<T>(Func<Task<IApiResponse<T>>> call, CancellationToken cancellationToken)
    {
        IApiResponse<T> response;
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
