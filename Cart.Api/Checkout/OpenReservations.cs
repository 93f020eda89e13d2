using Microsoft.Extensions.Options;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// The journal of reservations that may hold stock without an order (<see cref="CartKeys.OpenReservations"/>).
/// The commit script places an order only if it removes the member itself; the sweep, and a checkout unsure whether
/// its commit ran, release only after removing it themselves. ZREM answers 1 to exactly one of them, so an order and
/// a release of the same reservation never both happen. A checkout that failed before committing (it will never run
/// the script) releases first and removes the member after, so a crash in between leaves the member for the sweep.
/// </summary>
public sealed class OpenReservations(IConnectionMultiplexer redis, IOptions<CheckoutOptions> options, TimeProvider time)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Written before the first reserve: a replica that dies from then on leaves a member for the sweep.</summary>
    public async Task OpenAsync(string reservationId)
    {
        var batch = Db.CreateBatch();
        var add = batch.SortedSetAddAsync(CartKeys.OpenReservations, reservationId, time.GetUtcNow().ToUnixTimeMilliseconds());
        var expire = batch.KeyExpireAsync(CartKeys.OpenReservations, options.Value.OpenReservationsTtl);
        batch.Execute();
        await Task.WhenAll(add, expire);
    }

    /// <summary>True when this caller removed the member, and so alone decides what happens to its stock.</summary>
    public Task<bool> TakeAsync(string reservationId) => Db.SortedSetRemoveAsync(CartKeys.OpenReservations, reservationId);

    /// <summary>Puts a taken member back with its original time, so the next sweep tries the release again.</summary>
    public Task PutBackAsync(string reservationId, long openedAtMs) =>
        Db.SortedSetAddAsync(CartKeys.OpenReservations, reservationId, openedAtMs);

    /// <summary>Members opened before <paramref name="cutoff"/>, oldest first, at most <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<(string ReservationId, long OpenedAtMs)>> OpenedBeforeAsync(DateTimeOffset cutoff, int count)
    {
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(
            CartKeys.OpenReservations, double.NegativeInfinity, cutoff.ToUnixTimeMilliseconds(), take: count);
        await Db.KeyExpireAsync(CartKeys.OpenReservations, options.Value.OpenReservationsTtl);
        return [.. entries.Select(e => ((string)e.Element!, (long)e.Score))];
    }

    /// <summary>
    /// Releases a reservation whose member the caller has just removed (so no order can claim it any more). If the
    /// catalog cannot be reached, the member goes back so the next sweep tries again; only if Redis fails at that
    /// moment too does the reservation need an operator, and the log line says which.
    /// </summary>
    public async Task<bool> ReleaseTakenAsync(CatalogGateway catalog, string reservationId, long openedAtMs, ILogger logger)
    {
        try
        {
            if (!await catalog.ReleaseAsync(reservationId, CancellationToken.None))
            {
                logger.LogError("Reservation {ReservationId} is committed in the catalog although no order claimed it; its stock stays taken.", reservationId);
            }
            return true;
        }
        catch (CatalogUnavailableException ex)
        {
            logger.LogWarning(ex, "Could not release reservation {ReservationId}; the next sweep tries again.", reservationId);
        }
        try
        {
            await PutBackAsync(reservationId, openedAtMs);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogError(ex, "Reservation {ReservationId} holds stock that nothing will release: release it in the catalog by hand.", reservationId);
        }
        return false;
    }
}
