namespace Shop.Cart.Api;

public static class CartApi
{
    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/carts");
        api.MapGet("/", () => TypedResults.Ok(new { service = "cart-api" }));
        return app;
    }
}
