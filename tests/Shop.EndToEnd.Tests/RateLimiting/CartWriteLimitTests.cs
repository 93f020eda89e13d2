using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.EndToEnd.Tests.RateLimiting;

[Collection(RateLimitingCollection.Name)]
public sealed class CartWriteLimitTests(RateLimitingAppFixture shop)
{
    [Fact]
    public async Task ConcurrentWritesToOneCartOverBothCartReplicasSpendExactlyTheBucket()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        var cartId = "a-" + Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            using var response = await client.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 3, quantity = 1 });
            return (response.StatusCode, Instance: response.Instance(), RetryAfter: response.Headers.RetryAfter?.Delta,
                MediaType: response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
        }));

        if (responses.Any(r => (int)r.StatusCode >= 500))
        {
            Assert.Fail("Cart.Api answered 5xx:\n" + string.Join("\n", responses.Where(r => (int)r.StatusCode >= 500).Select(r => $"{(int)r.StatusCode} {r.Instance} {r.Body}"))
                + "\n" + await shop.Shop.ErrorLogsAsync(ShopResources.Cart));
        }
        Assert.Equal(shop.ReplicaInstances(ShopResources.Cart).Order(), responses.Select(r => r.Instance).Distinct().Order());
        var admitted = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        if (admitted != RateLimitingAppFixture.CartTokens)
        {
            // First the count and what the replicas said about Redis (a replica that cannot reach Redis counts
            // locally, which is the likeliest way to admit more), then each response: a truncated log keeps the top.
            var redisWarnings = await shop.Shop.LogLinesAsync(ShopResources.Cart, line =>
                line.Content.Contains("Redis", StringComparison.Ordinal) && !line.Content.Contains("info:", StringComparison.Ordinal));
            Assert.Fail($"{admitted} of {responses.Length} writes admitted, expected {RateLimitingAppFixture.CartTokens}; admitted per replica: "
                + string.Join(", ", responses.Where(r => r.StatusCode == HttpStatusCode.OK).GroupBy(r => r.Instance).Select(g => $"{g.Key} {g.Count()}"))
                + $"\nCart.Api lines about Redis: {(redisWarnings.Count == 0 ? "none" : string.Join("\n", redisWarnings.TakeLast(20)))}\n"
                + string.Join("\n", responses.Select(r => $"{(int)r.StatusCode} {r.Instance} {r.Body[..Math.Min(200, r.Body.Length)]}")));
        }
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r =>
        {
            Assert.True(r.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)r.StatusCode} from {r.Instance}: {r.Body}");
            Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {r.RetryAfter}.");
            Assert.Equal("application/problem+json", r.MediaType);
            using var problem = JsonDocument.Parse(r.Body);
            Assert.Equal("cart-write", problem.RootElement.GetProperty("policy").GetString());
        });
        var cart = await client.GetFromJsonAsync<JsonElement>($"/api/carts/{cartId}");
        Assert.Equal(RateLimitingAppFixture.CartTokens, cart.GetProperty("itemCount").GetInt32());
    }
}
