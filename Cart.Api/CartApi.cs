using Shop.Cart.Api.Http;

namespace Shop.Cart.Api;

/// <summary>The routes of Cart.Api (the contract is in Cart.Api/README.md).</summary>
public static class CartApi
{
    /// <summary>The token bucket per cart on every write (declared in AddApplicationServices).</summary>
    public const string CartWritePolicy = "cart-write";

    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        // Every route needs the storefront's token (401 without); a cart route answers only for the cart the token
        // names (403 for any other). Writes (not reads) spend that cart's cart-write tokens.
        var carts = app.MapGroup("/api/carts/{cartId}").WithTags("Carts")
            .RequireAuthorization()
            .AddEndpointFilter(CartOwnership.RequireTokenForRouteCart)
            .RequireRateLimiting(CartWritePolicy);
        carts.MapGet("/", CartEndpoints.GetCart);
        carts.MapGet("/count", CartEndpoints.CountItems);
        carts.MapDelete("/", CartEndpoints.ClearCart);
        carts.MapPost("/items", CartEndpoints.AddItem);
        carts.MapPut("/items/{productId}", CartEndpoints.SetQuantity);
        carts.MapDelete("/items/{productId}", CartEndpoints.RemoveItem);
        carts.MapPost("/merge", CartEndpoints.Merge);
        carts.MapPost("/checkout", CheckoutEndpoints.Checkout);

        app.MapGet("/api/orders/{orderId}", CheckoutEndpoints.GetOrder).WithTags("Orders").RequireAuthorization();
        return app;
    }
}
