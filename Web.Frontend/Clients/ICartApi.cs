using Refit;

namespace Shop.Web.Frontend.Clients;

/// <summary>Cart.Api, reached through service discovery as <c>http://cart-api</c>.</summary>
public interface ICartApi
{
    [Get("/api/carts/{cartId}")]
    Task<Cart> GetCartAsync(string cartId, CancellationToken cancellationToken);

    [Post("/api/carts/{cartId}/items")]
    Task<Cart> AddItemAsync(string cartId, [Body] AddCartItem item, CancellationToken cancellationToken);

    [Put("/api/carts/{cartId}/items/{productId}")]
    Task<Cart> SetQuantityAsync(string cartId, int productId, [Body] SetCartQuantity quantity, CancellationToken cancellationToken);

    [Delete("/api/carts/{cartId}/items/{productId}")]
    Task<Cart> RemoveItemAsync(string cartId, int productId, CancellationToken cancellationToken);

    [Post("/api/carts/{cartId}/merge")]
    Task<Cart> MergeAsync(string cartId, [Body] MergeCarts merge, CancellationToken cancellationToken);

    /// <summary>201 (new) or 200 (same key seen before) with the order; 400/409/503 as ProblemDetails.</summary>
    [Post("/api/carts/{cartId}/checkout")]
    Task<IApiResponse<Order>> CheckoutAsync(string cartId, [Header("Idempotency-Key")] string idempotencyKey, CancellationToken cancellationToken);

    [Get("/api/orders/{orderId}")]
    Task<Order> GetOrderAsync(string orderId, CancellationToken cancellationToken);
}
