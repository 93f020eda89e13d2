namespace Shop.Cart.Api;

/// <summary>
/// Every Redis key Cart.Api writes, in one place, so the keyspace audit and the design note's table can be
/// checked against a single file. Every one of them is written with a TTL.
/// <para>
/// The braces are literal: a Redis hash tag. A Redis Cluster places a key by the text between its first braces
/// only, so every key of one cart (the cart, its checkout claims, its reservation markers, its orders) lands in the
/// cart's slot, and the checkout commit can touch them all in one atomic script. Without the tag a cluster answers
/// that script with CROSSSLOT. On a single Redis or Garnet the braces are just characters.
/// </para>
/// </summary>
public static class CartKeys
{
    /// <summary>
    /// Hash productId → quantity; sliding TTL (<c>Cart:AnonymousTtl</c> / <c>Cart:UserTtl</c>). Named in
    /// <see cref="ShopCarts"/>, because the storefront reads its item count for the badge.
    /// </summary>
    public static string Cart(CartId cartId) => ShopCarts.Key(cartId.Value);

    /// <summary>JSON string of an order placed from the cart; TTL <c>Cart:OrderTtl</c> (365 days by default).</summary>
    public static string Order(CartId cartId, string orderId) => $"shop:order:{{{cartId}}}:{orderId}";

    /// <summary>
    /// Claim of one checkout attempt: <c>pending:{token}</c> while it runs (short TTL, so a replica that dies
    /// mid-checkout does not block retries for a day), then <c>order:{orderId}</c> for 24 hours.
    /// </summary>
    public static string Idempotency(CartId cartId, string key) => $"shop:idem:{{{cartId}}}:{key}";

    /// <summary>
    /// The marker of a checkout that holds reserved stock without an order yet (value: opened at, Unix ms). Whoever
    /// deletes it decides the stock's fate: the commit script (the order is placed), or a release (the stock goes
    /// back). DEL answers 1 to exactly one of them. In the cart's slot, so the commit deletes it atomically with the
    /// order it writes. TTL <c>Checkout:OpenReservationsTtl</c>.
    /// </summary>
    public static string Reservation(CartId cartId, string reservationId) => $"shop:reservation:{{{cartId}}}:{reservationId}";

    /// <summary>
    /// Sorted set indexing the open reservation markers, so the sweep can find them without scanning every node:
    /// member <c>{cartId}/{reservationId}</c>, score = when it was opened (Unix ms). Only an index: a member whose
    /// marker is gone is simply dropped. TTL <c>Checkout:OpenReservationsTtl</c>, refreshed by every checkout and sweep.
    /// </summary>
    public const string OpenReservations = "shop:reservations:open";

    /// <summary>
    /// Which anonymous cart was last merged into a signed-in one, with what lines (<see cref="CartStore.MergeAsync"/>),
    /// so a merge retried after a failure halfway adds nothing twice. In the target cart's slot; TTL 1 hour.
    /// </summary>
    public static string Merged(CartId target, CartId source) => $"shop:merged:{{{target}}}:{source}";
}
