namespace Shop.Cart.Api;

/// <summary>The contract's limits, enforced inside the Redis scripts so no interleaving can exceed them.</summary>
public static class CartLimits
{
    public const int MaxQuantity = 99;
    public const int MaxLines = 100;
}
