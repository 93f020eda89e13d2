using Microsoft.Extensions.Options;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// Releases reservations whose checkout never finished: a replica that died between reserve and commit, or a
/// release that could not reach the catalog. Every replica sweeps every <c>Checkout:SweepInterval</c>; removing the
/// marker first (<see cref="OpenReservations"/>) means one replica releases each, and a checkout still running past
/// <c>Checkout:ReservationTimeout</c> can no longer place its order on stock that went back.
/// </summary>
public sealed class ReservationSweeper(
    OpenReservations reservations,
    IServiceScopeFactory scopes,
    IOptions<CheckoutOptions> options,
    TimeProvider time,
    ILogger<ReservationSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepOnceAsync(stoppingToken);
                }
                // A background service that throws stops the whole host (.NET's default), so one odd failure during
                // an outage (StackExchange.Redis tearing its connection down surfaces as an InvalidOperationException)
                // would take this replica down with it. The next pass retries.
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(ex, "Reservation sweep failed; the next pass retries.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    /// <summary>One pass; the number of reservations it released. Never throws for a Redis or catalog outage: the next pass retries.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        try
        {
            var due = await reservations.OpenedBeforeAsync(time.GetUtcNow() - settings.ReservationTimeout, settings.SweepBatch);
            if (due.Count == 0)
            {
                return 0;
            }
            await using var scope = scopes.CreateAsyncScope();
            var catalog = scope.ServiceProvider.GetRequiredService<CatalogGateway>();
            var released = 0;
            foreach (var (cartId, reservationId, openedAtMs) in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                // Another replica's sweep, the checkout's own release or its commit got there first.
                if (!await reservations.TakeAsync(cartId, reservationId))
                {
                    continue;
                }
                logger.LogWarning("Reservation {ReservationId} has had no order for over {Timeout}; releasing it.", reservationId, settings.ReservationTimeout);
                if (await reservations.ReleaseTakenAsync(catalog, cartId, reservationId, openedAtMs, logger))
                {
                    released++;
                }
            }
            return released;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException || RedisAvailability.IsOutage(ex))
        {
            logger.LogWarning(ex, "Reservation sweep skipped: Redis unavailable.");
            return 0;
        }
    }
}
