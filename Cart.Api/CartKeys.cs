namespace Shop.Cart.Api;

/// <summary>
/// Every Redis key Cart.Api writes, in one place, so the keyspace audit and the design note's table can be
/// checked against a single file. Every one of them is written with a TTL.
/// </summary>
public static class CartKeys
{
    /// <summary>Hash productId → quantity; sliding TTL (<c>Cart:AnonymousTtl</c> / <c>Cart:UserTtl</c>).</summary>
    public static string Cart(CartId cartId) => $"shop:cart:{cartId}";

    /// <summary>JSON string of a placed order; TTL <c>Cart:OrderTtl</c> (365 days by default).</summary>
    public static string Order(string orderId) => $"shop:order:{orderId}";

    /// <summary>
    /// Claim of one checkout attempt: <c>pending:{token}</c> while it runs (short TTL, so a replica that dies
    /// mid-checkout does not block retries for a day), then <c>order:{orderId}</c> for 24 hours.
    /// </summary>
    public static string Idempotency(CartId cartId, string key) => $"shop:idem:{cartId}:{key}";

    /// <summary>
    /// Sorted set of the checkouts that hold reserved stock without an order yet: member = reservation id (the order
    /// id it will place), score = when it was opened (Unix ms). The commit script removes the member as it stores the
    /// order; a failed checkout removes it once the catalog released; the sweep releases what is left past
    /// <c>Checkout:ReservationTimeout</c>. TTL <c>Checkout:OpenReservationsTtl</c>, refreshed by every checkout and sweep.
    /// </summary>
    public const string OpenReservations = "shop:reservations:open";
}
