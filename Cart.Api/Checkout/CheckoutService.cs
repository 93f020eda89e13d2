using Microsoft.Extensions.Options;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// Checkout: reserve every line's stock in Catalog.Api under one reservation id, then store the order and take the
/// lines out of the cart in one Redis script. Any failure on the way releases the reservation and leaves the cart as
/// it was, so a shopper can simply try again. The open-reservation journal (<see cref="OpenReservations"/>) and its
/// sweep (<see cref="ReservationSweeper"/>) cover what an explicit release cannot: a replica that died mid-checkout,
/// or a catalog that could not be reached to release.
/// </summary>
public sealed class CheckoutService(
    IConnectionMultiplexer redis,
    CartStore carts,
    OrderStore orders,
    IdempotencyClaims claims,
    OpenReservations reservations,
    CatalogGateway catalog,
    IOptions<CartOptions> options,
    IOptions<CheckoutOptions> checkoutOptions,
    TimeProvider time,
    CartMetrics metrics,
    ILogger<CheckoutService> logger)
{
    /// <summary>How long a duplicate request waits for the first one's order before answering "still in progress".</summary>
    private static readonly TimeSpan WaitForFirstAttempt = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<CheckoutOutcome> CheckoutAsync(CartId cartId, string? idempotencyKey, CancellationToken cancellationToken)
    {
        if (idempotencyKey is null)
        {
            return await PlaceOrderAsync(cartId, claimKey: null, token: null);
        }

        var claimKey = CartKeys.Idempotency(cartId, idempotencyKey);
        var deadline = time.GetUtcNow() + WaitForFirstAttempt;
        while (true)
        {
            var token = IdempotencyClaims.NewPendingToken();
            if (await claims.TryClaimAsync(claimKey, token))
            {
                return await PlaceClaimedOrderAsync(cartId, claimKey, token);
            }

            var (exists, orderId) = await claims.ReadAsync(claimKey);
            if (orderId is not null && await orders.GetAsync(cartId, orderId) is { } order)
            {
                return new CheckoutOutcome(CheckoutStatus.Replayed, order);
            }
            if (!exists)
            {
                continue; // The first attempt failed and dropped its claim: this one may proceed.
            }
            if (time.GetUtcNow() >= deadline)
            {
                return new CheckoutOutcome(CheckoutStatus.StillInProgress);
            }
            await Task.Delay(PollInterval, time, cancellationToken);
        }
    }

    private async Task<CheckoutOutcome> PlaceClaimedOrderAsync(CartId cartId, string claimKey, string token)
    {
        CheckoutOutcome outcome;
        try
        {
            outcome = await PlaceOrderAsync(cartId, claimKey, token);
        }
        catch
        {
            await ReleaseClaimQuietlyAsync(claimKey, token);
            throw;
        }
        if (outcome.Status != CheckoutStatus.Placed)
        {
            // A failed attempt must not pin its failure to the key: the shopper fixes the cart and retries.
            await ReleaseClaimQuietlyAsync(claimKey, token);
        }
        return outcome;
    }

    // Catalog calls below deliberately ignore the request's cancellation: once stock is being reserved, a client
    // that hangs up must not leave reservations behind without the matching release or order.
    private async Task<CheckoutOutcome> PlaceOrderAsync(CartId cartId, string? claimKey, string? token)
    {
        var cart = await carts.GetAsync(cartId);
        if (cart.IsEmpty)
        {
            return new CheckoutOutcome(CheckoutStatus.EmptyCart);
        }

        // One id for the attempt: every reserve (and each retry of one), the release and the order share it, so the
        // catalog can tell a retry from a new reservation, and an order names the reservation that holds its stock. Fresh per
        // attempt, not derived from the Idempotency-Key: a released id is closed for good in the catalog, and a
        // shopper's retry after a failed attempt must be able to reserve again. Duplicates of a running attempt never
        // reserve at all (the claim makes them wait for its order).
        var reservationId = OrderStore.NewOrderId();
        var startedAt = time.GetTimestamp();
        await reservations.OpenAsync(cartId, reservationId);

        var reserved = new List<(CatalogItem Item, int Quantity)>(cart.Entries.Count);
        try
        {
            foreach (var entry in cart.Entries)
            {
                var reservation = await catalog.ReserveAsync(reservationId, entry.ProductId, entry.Quantity, CancellationToken.None);
                if (reservation.Status != ReservationStatus.Reserved)
                {
                    await ReleaseAsync(reservationId, cartId);
                    return reservation.Status switch
                    {
                        ReservationStatus.InsufficientStock => new CheckoutOutcome(CheckoutStatus.InsufficientStock, ProductId: entry.ProductId),
                        ReservationStatus.UnknownProduct => new CheckoutOutcome(CheckoutStatus.ProductUnavailable, ProductId: entry.ProductId),
                        // The sweep released this attempt while it ran (it took longer than Checkout:ReservationTimeout).
                        _ => new CheckoutOutcome(CheckoutStatus.CatalogUnavailable),
                    };
                }
                reserved.Add((reservation.Item!, entry.Quantity));
            }
        }
        catch (CatalogUnavailableException ex)
        {
            // Tries exhausted: a line may still have been applied with its answer lost. Releasing the reservation id
            // gives back whatever the catalog holds under it, that line included. That catalog just let a reserve go
            // unanswered, so the release gets only what is left of Checkout:Budget: the shopper's 503 does not wait
            // out a second timeout of it (the sweep releases what this release could not).
            logger.LogWarning(ex, "Checkout of {CartId} stopped: Catalog.Api unavailable.", cartId);
            await ReleaseAsync(reservationId, cartId, checkoutOptions.Value.Budget - time.GetElapsedTime(startedAt));
            return new CheckoutOutcome(CheckoutStatus.CatalogUnavailable);
        }

        var lines = reserved
            .Select(r => new CartLine(r.Item.Id, r.Item.Name, r.Item.Price, r.Quantity, r.Item.Price * r.Quantity, r.Item.ImageUrl))
            .ToList();
        var order = new Order(reservationId, cartId.Value, lines, lines.Sum(l => l.LineTotal), time.GetUtcNow());

        int result;
        try
        {
            result = await CommitAsync(cartId, order, cart, claimKey, token);
        }
        catch (Exception ex)
        {
            if (await SettleUnansweredCommitAsync(reservationId, cartId, ex))
            {
                return await PlacedAsync(cartId, order);
            }
            throw;
        }
        switch (result)
        {
            case 1:
                await AwaitReplicaAsync(cartId, order.OrderId);
                return await PlacedAsync(cartId, order);
            case -2:
                logger.LogWarning("Checkout of {CartId} outlived its reservation {ReservationId}; the sweep released it.", cartId, reservationId);
                return new CheckoutOutcome(CheckoutStatus.CatalogUnavailable);
            default:
                await ReleaseAsync(reservationId, cartId);
                return new CheckoutOutcome(CheckoutStatus.CartChanged);
        }
    }

    private async Task<CheckoutOutcome> PlacedAsync(CartId cartId, Order order)
    {
        metrics.OrderPlaced();
        try
        {
            await reservations.ForgetAsync(cartId, order.OrderId);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            // The commit deleted the marker; the sweep drops the index member it left.
        }
        try
        {
            await catalog.CommitAsync(order.OrderId, CancellationToken.None);
        }
        catch (CatalogUnavailableException ex)
        {
            // The order stands. The catalog keeps the reservation "reserved", which holds the stock just the same;
            // only the extra guard against releasing it is missing, and nothing here asks for that release.
            logger.LogWarning(ex, "Order {OrderId} placed; the catalog was not told to commit its reservation.", order.OrderId);
        }
        return new CheckoutOutcome(CheckoutStatus.Placed, order);
    }

    /// <summary>
    /// The commit script got no answer (a Redis timeout or a dropped connection): it may have run. It removes the
    /// reservation marker when it stores the order, so deleting it now tells which: if we can, no order exists
    /// and none can appear any more, and the stock goes back; if it is gone, the order was placed (true). If Redis
    /// cannot be asked either, the marker stays and the sweep decides later.
    /// </summary>
    private async Task<bool> SettleUnansweredCommitAsync(string reservationId, CartId cartId, Exception commitError)
    {
        bool taken;
        try
        {
            taken = await reservations.TakeAsync(cartId, reservationId);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(commitError, "Checkout of {CartId}: commit unanswered and Redis unreachable; the sweep settles reservation {ReservationId}.",
                cartId, reservationId);
            return false;
        }
        if (!taken)
        {
            logger.LogWarning(commitError, "Checkout of {CartId}: the commit of order {OrderId} ran although its answer was lost.", cartId, reservationId);
            return true;
        }
        // Score 0: if the release fails, the very next sweep tries again.
        await reservations.ReleaseTakenAsync(catalog, cartId, reservationId, openedAtMs: 0, logger);
        return false;
    }

    /// <summary>
    /// Redis replicates asynchronously: on a Redis Cluster, a master that dies right after the commit may not have
    /// passed it to its replica, and the replica that takes over would have neither the order nor the emptied cart.
    /// So the order is answered once a replica confirms it (<c>WAIT 1</c> on the master's connection, which covers
    /// every write sent on it before), or after <c>Checkout:ReplicaAckTimeout</c> with a warning: the order stands
    /// either way (its stock is reserved), and waiting longer would only make the shopper wait. A single Redis has no
    /// replica to wait for.
    /// </summary>
    private async Task AwaitReplicaAsync(CartId cartId, string orderId)
    {
        try
        {
            var db = redis.GetDatabase();
            var master = redis.GetServer(await db.IdentifyEndpointAsync(CartKeys.Cart(cartId))
                ?? throw new RedisConnectionException(ConnectionFailureType.UnableToResolvePhysicalConnection, "No master for the cart's slot."));
            if (master.ServerType != ServerType.Cluster)
            {
                return;
            }
            var timeout = checkoutOptions.Value.ReplicaAckTimeout;
            var replicas = (long)await master.ExecuteAsync("WAIT", 1, (long)timeout.TotalMilliseconds);
            if (replicas < 1)
            {
                logger.LogWarning("Order {OrderId} placed; no replica confirmed it within {Timeout}, so a failover now could lose it.", orderId, timeout);
            }
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Order {OrderId} placed; whether a replica has it is unknown.", orderId);
        }
    }

    private async Task<int> CommitAsync(CartId cartId, Order order, CartContents cart, string? claimKey, string? token)
    {
        var settings = options.Value;
        RedisKey[] keys = claimKey is null
            ? [CartKeys.Cart(cartId), CartKeys.Order(cartId, order.OrderId), CartKeys.Reservation(cartId, order.OrderId)]
            : [CartKeys.Cart(cartId), CartKeys.Order(cartId, order.OrderId), CartKeys.Reservation(cartId, order.OrderId), claimKey];
        var args = new List<RedisValue>
        {
            OrderStore.Serialize(order),
            (long)settings.OrderTtl.TotalMilliseconds,
            (long)settings.TtlFor(cartId).TotalMilliseconds,
            IdempotencyClaims.CompletedValue(order.OrderId),
            (long)settings.IdempotencyTtl.TotalMilliseconds,
            token ?? "",
        };
        foreach (var entry in cart.Entries)
        {
            args.Add(entry.ProductId);
            args.Add(entry.Quantity);
        }
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(CheckoutScripts.Commit, keys, [.. args]);
    }

    /// <summary>
    /// A checkout that will not commit gives its stock back: release first, then delete the marker, so a crash or
    /// a catalog outage in between leaves the marker for the sweep (releasing again is a no-op). Within
    /// <paramref name="within"/> in all, when given; none left means the sweep releases.
    /// </summary>
    private async Task ReleaseAsync(string reservationId, CartId cartId, TimeSpan? within = null)
    {
        if (within <= TimeSpan.Zero)
        {
            logger.LogWarning("Checkout of {CartId} is past Checkout:Budget; the sweep releases reservation {ReservationId}.", cartId, reservationId);
            return;
        }
        try
        {
            await catalog.ReleaseAsync(reservationId, within, CancellationToken.None);
        }
        catch (CatalogUnavailableException ex)
        {
            logger.LogWarning(ex, "Could not release reservation {ReservationId} of {CartId}; the sweep tries again.", reservationId, cartId);
            return;
        }
        try
        {
            await reservations.TakeAsync(cartId, reservationId);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Released reservation {ReservationId}; its marker stays until the sweep drops it.", reservationId);
        }
    }

    private async Task ReleaseClaimQuietlyAsync(string claimKey, string token)
    {
        try
        {
            await claims.ReleaseAsync(claimKey, token);
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException)
        {
            logger.LogWarning(ex, "Could not drop idempotency claim {ClaimKey}; it expires by itself.", claimKey);
        }
    }
}
