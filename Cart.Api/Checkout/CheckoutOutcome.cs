namespace Shop.Cart.Api;

public enum CheckoutStatus
{
    Placed,
    Replayed,
    EmptyCart,
    InsufficientStock,
    ProductUnavailable,
    CartChanged,
    StillInProgress,
    CatalogUnavailable,
}

/// <summary>What a checkout attempt ended with; <see cref="ProductId"/> names the line that stopped it.</summary>
public sealed record CheckoutOutcome(CheckoutStatus Status, Order? Order = null, int? ProductId = null);
