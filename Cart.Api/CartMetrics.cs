using System.Diagnostics.Metrics;

namespace Shop.Cart.Api;

/// <summary>
/// The <c>Shop.Cart</c> meter: cart writes by operation and orders placed, summed over every replica in the
/// dashboard, so an operator sees the shop's activity rather than one process's share of it.
/// </summary>
public sealed class CartMetrics
{
    private readonly Counter<long> _writes;
    private readonly Counter<long> _orders;

    public CartMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ShopMeters.Cart);
        _writes = meter.CreateCounter<long>("shop.cart.writes", unit: "{write}", description: "Cart changes written to Redis.");
        _orders = meter.CreateCounter<long>("shop.cart.orders_placed", unit: "{order}", description: "Orders placed by checkout.");
    }

    public void CartWritten(string operation) => _writes.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void OrderPlaced() => _orders.Add(1);
}
