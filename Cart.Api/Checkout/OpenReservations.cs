using Microsoft.Extensions.Options;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// The reservations that may hold stock without an order: one marker per checkout in its cart's hash slot
/// (<see cref="CartKeys.Reservation"/>), indexed for the sweep (<see cref="CartKeys.OpenReservations"/>).
/// The commit script places an order only if it deletes the marker itself; the sweep, and a checkout unsure whether
/// its commit ran, release only after deleting it themselves. DEL answers 1 to exactly one of them, so an order and
/// a release of the same reservation never both happen. A checkout that failed before committing (it will never run
/// the script) releases first and deletes the marker after, so a crash in between leaves the marker for the sweep.
/// </summary>
public sealed class OpenReservations(IConnectionMultiplexer redis, IOptions<CheckoutOptions> options, TimeProvider time)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Written before the first reserve: a replica that dies from then on leaves a marker for the sweep. The index
    /// first, so a marker is never without it (an index member without a marker is dropped by the sweep).
    /// </summary>
    public async Task OpenAsync(CartId cartId, string reservationId)
    {
        var openedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var ttl = options.Value.OpenReservationsTtl;
        var batch = Db.CreateBatch();
        var add = batch.SortedSetAddAsync(CartKeys.OpenReservations, Member(cartId, reservationId), openedAtMs);
        var expire = batch.KeyExpireAsync(CartKeys.OpenReservations, ttl);
        batch.Execute();
        await Task.WhenAll(add, expire);
        await Db.StringSetAsync(CartKeys.Reservation(cartId, reservationId), openedAtMs, ttl);
    }

    /// <summary>True when this caller deleted the marker, and so alone decides what happens to its stock.</summary>
    public async Task<bool> TakeAsync(CartId cartId, string reservationId)
    {
        var taken = await Db.KeyDeleteAsync(CartKeys.Reservation(cartId, reservationId));
        try
        {
            await ForgetAsync(cartId, reservationId);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // The decision is made (the marker); a member left in the index is dropped by the next sweep.
        }
        return taken;
    }

    /// <summary>Drops the index member of a reservation whose marker is gone (its order placed, or its stock released).</summary>
    public Task ForgetAsync(CartId cartId, string reservationId) =>
        Db.SortedSetRemoveAsync(CartKeys.OpenReservations, Member(cartId, reservationId));

    /// <summary>Puts a taken reservation back with its original time, so the next sweep tries the release again.</summary>
    public async Task PutBackAsync(CartId cartId, string reservationId, long openedAtMs)
    {
        var ttl = options.Value.OpenReservationsTtl;
        await Db.StringSetAsync(CartKeys.Reservation(cartId, reservationId), openedAtMs, ttl);
        await Db.SortedSetAddAsync(CartKeys.OpenReservations, Member(cartId, reservationId), openedAtMs);
    }

    /// <summary>Reservations opened before <paramref name="cutoff"/>, oldest first, at most <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<(CartId CartId, string ReservationId, long OpenedAtMs)>> OpenedBeforeAsync(DateTimeOffset cutoff, int count)
    {
        var entries = await Db.SortedSetRangeByScoreWithScoresAsync(
            CartKeys.OpenReservations, double.NegativeInfinity, cutoff.ToUnixTimeMilliseconds(), take: count);
        await Db.KeyExpireAsync(CartKeys.OpenReservations, options.Value.OpenReservationsTtl);
        var due = new List<(CartId, string, long)>(entries.Length);
        foreach (var entry in entries)
        {
            var member = (string)entry.Element!;
            var slash = member.IndexOf('/', StringComparison.Ordinal);
            if (slash > 0 && CartId.TryParse(member[..slash], out var cartId))
            {
                due.Add((cartId, member[(slash + 1)..], (long)entry.Score));
            }
            else
            {
                // Not one of ours (written by hand, or by an older version): nothing to release under it.
                await Db.SortedSetRemoveAsync(CartKeys.OpenReservations, member);
            }
        }
        return due;
    }

    /// <summary>
    /// Releases a reservation whose marker the caller has just deleted (so no order can claim it any more). If the
    /// catalog cannot be reached, the marker goes back so the next sweep tries again; only if Redis fails at that
    /// moment too does the reservation need an operator, and the log line says which.
    /// </summary>
    public async Task<bool> ReleaseTakenAsync(CatalogGateway catalog, CartId cartId, string reservationId, long openedAtMs, ILogger logger)
    {
        try
        {
            if (!await catalog.ReleaseAsync(reservationId, within: null, CancellationToken.None))
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
            await PutBackAsync(cartId, reservationId, openedAtMs);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogError(ex, "Reservation {ReservationId} holds stock that nothing will release: release it in the catalog by hand.", reservationId);
        }
        return false;
    }

    /// <summary>The index member: cart ids never contain '/', reservation ids are hex.</summary>
    private static string Member(CartId cartId, string reservationId) => $"{cartId}/{reservationId}";
}
