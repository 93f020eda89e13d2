using System.Text.Json;
using System.Text.RegularExpressions;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>Placed orders, one JSON string per order (<see cref="CartKeys.Order"/>), readable from any replica.</summary>
public sealed partial class OrderStore(IConnectionMultiplexer redis)
{
    public static string NewOrderId() => Guid.NewGuid().ToString("N");

    public static bool IsValidOrderId(string? orderId) => orderId is not null && OrderIdPattern().IsMatch(orderId);

    /// <summary>The order <paramref name="orderId"/> placed from <paramref name="cartId"/> (its key is in the cart's hash slot).</summary>
    public async Task<Order?> GetAsync(CartId cartId, string orderId)
    {
        var json = await redis.GetDatabase().StringGetAsync(CartKeys.Order(cartId, orderId));
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize((string)json!, CartJsonContext.Default.Order);
    }

    public static string Serialize(Order order) => JsonSerializer.Serialize(order, CartJsonContext.Default.Order);

    // \z, not $: "$" also matches before a final "\n".
    [GeneratedRegex(@"^[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex OrderIdPattern();
}
