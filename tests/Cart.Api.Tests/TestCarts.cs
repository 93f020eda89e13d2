using System.Net;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>Fresh cart ids, and the cart and checkout steps the checkout suites share.</summary>
internal static class TestCarts
{
    public static string NewAnonymousId() => "a-" + Guid.NewGuid().ToString("N");

    public static string NewUserId() => "u-user" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A new signed-in cart holding <paramref name="lines"/>, each added through the API.</summary>
    public static async Task<string> CartWithAsync(this HttpClient client, params (int ProductId, int Quantity)[] lines)
    {
        var cartId = NewUserId();
        foreach (var (productId, quantity) in lines)
        {
            var response = await client.PostJsonAsync($"/api/carts/{cartId}/items", $$"""{ "productId": {{productId}}, "quantity": {{quantity}} }""");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        return cartId;
    }

    public static Task<HttpResponseMessage> CheckoutAsync(this HttpClient client, string cartId, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout");
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    /// <summary>How many stored orders name <paramref name="cartId"/>.</summary>
    public static async Task<int> OrdersOfAsync(this IConnectionMultiplexer redis, string cartId)
    {
        var db = redis.GetDatabase();
        var count = 0;
        await foreach (var key in redis.GetServers()[0].KeysAsync(pattern: "shop:order:*"))
        {
            if (((string?)await db.StringGetAsync(key))?.Contains($"\"cartId\":\"{cartId}\"", StringComparison.Ordinal) == true)
            {
                count++;
            }
        }
        return count;
    }
}
