using Microsoft.Extensions.Options;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// Checkout: reserve every line's stock in Catalog.Api, then store the order and take the lines out of the cart
/// in one Redis script. Any failure on the way gives back what was already reserved and leaves the cart as it
/// was, so a shopper can simply try again.
/// </summary>
public sealed class CheckoutService(
    IConnectionMultiplexer redis,
    CartStore carts,
    OrderStore orders,
    IdempotencyClaims claims,
    CatalogGateway catalog,
    IOptions<CartOptions> options,
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
            if (orderId is not null && await orders.GetAsync(orderId) is { } order)
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

        var reserved = new List<(CatalogItem Item, int Quantity)>(cart.Entries.Count);
        try
        {
            foreach (var entry in cart.Entries)
            {
                var reservation = await catalog.ReserveAsync(entry.ProductId, entry.Quantity, CancellationToken.None);
                if (reservation.Status != ReservationStatus.Reserved)
                {
                    await ReleaseAsync(reserved);
                    var status = reservation.Status == ReservationStatus.InsufficientStock
                        ? CheckoutStatus.InsufficientStock
                        : CheckoutStatus.ProductUnavailable;
                    return new CheckoutOutcome(status, ProductId: entry.ProductId);
                }
                reserved.Add((reservation.Item!, entry.Quantity));
            }
        }
        catch (CatalogUnavailableException ex)
        {
            logger.LogWarning(ex, "Checkout of {CartId} stopped: Catalog.Api unavailable.", cartId);
            await ReleaseAsync(reserved);
            return new CheckoutOutcome(CheckoutStatus.CatalogUnavailable);
        }

        var lines = reserved
            .Select(r => new CartLine(r.Item.Id, r.Item.Name, r.Item.Price, r.Quantity, r.Item.Price * r.Quantity, r.Item.ImageUrl))
            .ToList();
        var order = new Order(OrderStore.NewOrderId(), cartId.Value, lines, lines.Sum(l => l.LineTotal), time.GetUtcNow());

        bool committed;
        try
        {
            committed = await CommitAsync(cartId, order, cart, claimKey, token);
        }
        catch
        {
            await ReleaseAsync(reserved);
            throw;
        }
        if (!committed)
        {
            await ReleaseAsync(reserved);
            return new CheckoutOutcome(CheckoutStatus.CartChanged);
        }

        metrics.OrderPlaced();
        return new CheckoutOutcome(CheckoutStatus.Placed, order);
    }

    private async Task<bool> CommitAsync(CartId cartId, Order order, CartContents cart, string? claimKey, string? token)
    {
        var settings = options.Value;
        RedisKey[] keys = claimKey is null
            ? [CartKeys.Cart(cartId), CartKeys.Order(order.OrderId)]
            : [CartKeys.Cart(cartId), CartKeys.Order(order.OrderId), claimKey];
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
        var result = (int)await redis.GetDatabase().ScriptEvaluateAsync(CheckoutScripts.Commit, keys, [.. args]);
        return result == 1;
    }

    private async Task ReleaseAsync(IEnumerable<(CatalogItem Item, int Quantity)> reserved)
    {
        foreach (var (item, quantity) in reserved)
        {
            try
            {
                await catalog.ReleaseAsync(item.Id, quantity, CancellationToken.None);
            }
            catch (CatalogUnavailableException ex)
            {
                // Nothing else can give the stock back; say exactly what an operator has to correct.
                logger.LogError(ex, "Could not release {Quantity} of product {ProductId} after a failed checkout.", quantity, item.Id);
            }
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
