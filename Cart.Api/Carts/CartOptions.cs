namespace Shop.Cart.Api;

/// <summary>Configuration section <c>Cart</c>.</summary>
public sealed class CartOptions
{
    public const string SectionName = "Cart";

    /// <summary>Sliding lifetime of an anonymous (<c>a-</c>) cart: a visitor who does not come back leaves no key behind.</summary>
    public TimeSpan AnonymousTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Sliding lifetime of a signed-in (<c>u-</c>) cart.</summary>
    public TimeSpan UserTtl { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a placed order stays readable. Orders live only in Redis in this reference app, so the
    /// default keeps them for a year; a real shop would hand them to an order system of record.
    /// </summary>
    public TimeSpan OrderTtl { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long a completed checkout's <c>Idempotency-Key</c> is remembered.</summary>
    public TimeSpan IdempotencyTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a merge remembers what it added (<see cref="CartKeys.Merged"/>): longer than any retry of it.</summary>
    public TimeSpan MergeMarkerTtl { get; set; } = TimeSpan.FromHours(1);

    public TimeSpan TtlFor(CartId cartId) => cartId.IsAnonymous ? AnonymousTtl : UserTtl;
}
