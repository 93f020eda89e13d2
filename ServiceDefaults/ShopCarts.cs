using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one Redis key two services share outside the output cache: a cart's hash (product id → quantity). Cart.Api
/// owns it and changes it only through its atomic scripts; the storefront reads its item count for the header badge,
/// which is on every page a shopper with a cart views. Asking Cart.Api over HTTP for that count (a token minted, a
/// request through the resilience pipeline, a token validated, a script run) cost more than the rest of the page; one
/// HVALS costs one Redis round trip, and reads what Cart.Api's last write left, on every replica, so the badge is never
/// stale. Reading does not extend the cart's sliding TTL: only Cart.Api's own reads and writes (the cart page, an add,
/// a sign-in's merge) do, so a cart lives its TTL from the last time the shopper touched it.
/// </summary>
public static class ShopCarts
{
    /// <summary>
    /// The cart's key. The braces are a Redis hash tag: on a Redis Cluster every key of one cart (its checkout claims,
    /// reservation markers and orders, in Cart.Api's <c>CartKeys</c>) lands in the cart's slot.
    /// </summary>
    public static string Key(string cartId) => $"shop:cart:{{{cartId}}}";

    /// <summary>The number of items in the cart (the sum of its quantities); 0 for a cart that does not exist.</summary>
    public static async Task<int> CountItemsAsync(IDatabaseAsync redis, string cartId)
    {
        var count = 0;
        foreach (var quantity in await redis.HashValuesAsync(Key(cartId)))
        {
            count += (int)quantity;
        }
        return count;
    }
}
