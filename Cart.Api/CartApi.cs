using Shop.Cart.Api.Http;

namespace Shop.Cart.Api;

/// <summary>The routes of Cart.Api (the contract is in Cart.Api/README.md).</summary>
public static class CartApi
{
    /// <summary>The token bucket per cart on every write (declared in AddApplicationServices).</summary>
    public const string CartWritePolicy = "cart-write";

    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        // Writes (not reads) under this group spend the cart's cart-write tokens.
        var carts = app.MapGroup("/api/carts/{cartId}").RequireRateLimiting(CartWritePolicy);
        carts.MapGet("/", CartEndpoints.GetCart);
        carts.MapDelete("/", CartEndpoints.ClearCart);
        carts.MapPost("/items", CartEndpoints.AddItem);
        carts.MapPut("/items/{productId}", CartEndpoints.SetQuantity);
        carts.MapDelete("/items/{productId}", CartEndpoints.RemoveItem);
        carts.MapPost("/merge", CartEndpoints.Merge);
        carts.MapPost("/checkout", CheckoutEndpoints.Checkout);

        app.MapGet("/api/orders/{orderId}", CheckoutEndpoints.GetOrder);
        return app;
    }
}
