using System.Net;
using Shop.Testing;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Tests;

public sealed class UnavailableCartTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task WhenCartApiIsDownTheCartIsA503PageWhileBrowsingKeepsWorking()
    {
        await using var app = new StorefrontFactory(redis, cartOverride: new DownCart());
        var client = app.NewClient();
        var product = await client.GetStringAsync("/products/1");

        var add = await client.PostAsync("/cart/add", StorefrontFactory.Form(
            ("__RequestVerificationToken", StorefrontFactory.Token(product)), ("productId", "1"), ("quantity", "1")));
        var home = await client.GetAsync("/");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, add.StatusCode);
        var body = await add.Content.ReadAsStringAsync();
        Assert.Contains("Your cart is temporarily unavailable", body);
        Assert.DoesNotContain("HttpRequestException", body);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("data-testid=\"product-card\"", await home.Content.ReadAsStringAsync());
    }

    private sealed class DownCart : ICartApi
    {
        private static Task<T> Down<T>() => Task.FromException<T>(new HttpRequestException("cart-api is unreachable"));
        public Task<Cart> GetCartAsync(string cartId, string token, CancellationToken cancellationToken) => Down<Cart>();
        public Task<Cart> AddItemAsync(string cartId, AddCartItem item, string token, CancellationToken cancellationToken) => Down<Cart>();
        public Task<Cart> SetQuantityAsync(string cartId, int productId, SetCartQuantity quantity, string token, CancellationToken cancellationToken) => Down<Cart>();
        public Task<Cart> RemoveItemAsync(string cartId, int productId, string token, CancellationToken cancellationToken) => Down<Cart>();
        public Task<Cart> MergeAsync(string cartId, MergeCarts merge, string token, CancellationToken cancellationToken) => Down<Cart>();
        public Task<Refit.IApiResponse<Order>> CheckoutAsync(string cartId, string idempotencyKey, string token, CancellationToken cancellationToken) => Down<Refit.IApiResponse<Order>>();
        public Task<Order> GetOrderAsync(string orderId, string token, CancellationToken cancellationToken) => Down<Order>();
    }
}
