using Refit;

namespace Shop.Web.Frontend.Clients;

/// <summary>
/// Cart.Api, reached through service discovery as <c>http://cart-api</c>. Every call carries a bearer token from
/// <see cref="CartTokens"/> naming the one cart it may touch: Cart.Api trusts the token, not the URL.
/// </summary>
public interface ICartApi
{
    [Get("/api/carts/{cartId}")]
    Task<Cart> GetCartAsync(string cartId, [Authorize] string token, CancellationToken cancellationToken);

    [Post("/api/carts/{cartId}/items")]
    Task<Cart> AddItemAsync(string cartId, [Body] AddCartItem item, [Authorize] string token, CancellationToken cancellationToken);

    [Put("/api/carts/{cartId}/items/{productId}")]
    Task<Cart> SetQuantityAsync(string cartId, int productId, [Body] SetCartQuantity quantity, [Authorize] string token, CancellationToken cancellationToken);

    [Delete("/api/carts/{cartId}/items/{productId}")]
    Task<Cart> RemoveItemAsync(string cartId, int productId, [Authorize] string token, CancellationToken cancellationToken);

    [Post("/api/carts/{cartId}/merge")]
    Task<Cart> MergeAsync(string cartId, [Body] MergeCarts merge, [Authorize] string token, CancellationToken cancellationToken);

    /// <summary>201 (new) or 200 (same key seen before) with the order; 400/409/503 as ProblemDetails.</summary>
    [Post("/api/carts/{cartId}/checkout")]
    Task<IApiResponse<Order>> CheckoutAsync(string cartId, [Header("Idempotency-Key")] string idempotencyKey, [Authorize] string token, CancellationToken cancellationToken);

    [Get("/api/orders/{orderId}")]
    Task<Order> GetOrderAsync(string orderId, [Authorize] string token, CancellationToken cancellationToken);
}

/// <summary>
/// Mints the tokens the storefront sends Cart.Api (<see cref="ServiceTokens.Cart"/>): short-lived, signed with the
/// key only the storefront and Cart.Api hold, naming the shopper's cart — and, at sign-in, the anonymous cart that
/// may be merged into it.
/// </summary>
public sealed class CartTokens(ServiceTokenIssuer issuer)
{
    public string For(string cartId) => issuer.Issue(cartId, (ServiceTokens.CartClaim, cartId));

    public string ForMerge(string cartId, string fromCartId) =>
        issuer.Issue(cartId, (ServiceTokens.CartClaim, cartId), (ServiceTokens.MergeFromClaim, fromCartId));
}
