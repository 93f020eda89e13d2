using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Shop.EndToEnd.Tests.RateLimiting;

[Collection(RateLimitingCollection.Name)]
public sealed partial class LimiterKeysTests(RateLimitingAppFixture shop)
{
    [Fact]
    public async Task EveryLimiterKeyNamesItsPolicyAndExpiresAndTheDashboardCommandClearsThemAll()
    {
        using var storefront = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var carts = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        using var catalog = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var account = "mallory-" + Guid.NewGuid().ToString("N")[..8];
        // One request per policy family (browse, sign-in, sign-in-client, cart-write, stock-write, admin-write) ...
        using (var page = await storefront.SendAsync(StorefrontVisitor.Get("/products/1", ".shop.session=" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        var cartId = $"a-{Guid.NewGuid():N}";
        (await carts.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = (await shop.InStockProductsAsync(1)).Single(), quantity = 1 }))
            .EnsureSuccessStatusCode();
        using (var checkout = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout") { Headers = { { "Idempotency-Key", Guid.NewGuid().ToString("N") } } })
        {
            // Cart.Api reserves the stock with its Stock token: the stock-write policy.
            Assert.Equal(HttpStatusCode.Created, (await carts.SendAsync(checkout)).StatusCode);
        }
        using (var flush = new HttpRequestMessage(HttpMethod.Post, "/api/catalog/admin/cache/flush") { Headers = { { "X-Api-Key", TestSecrets.AdminKey } } })
        {
            (await catalog.SendAsync(flush)).EnsureSuccessStatusCode();
        }
        // ... and one account blocked, to see the reset lift it.
        for (var i = 0; i < RateLimitingAppFixture.SignInLimit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StorefrontVisitor.SignInAsync(storefront, account, "guess")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await StorefrontVisitor.SignInAsync(storefront, account, "guess")).Status);

        await using var redis = await shop.ConnectToRedisAsync();
        var keys = await LimiterKeysAsync(redis);
        foreach (var policy in new[] { "browse", "sign-in", "sign-in-client", "cart-write", "stock-write", "admin-write" })
        {
            Assert.Contains(keys, key => KeyPattern().Match(key).Groups["policy"].Value == policy);
        }
        var database = redis.GetDatabase();
        foreach (var key in keys)
        {
            Assert.Matches(KeyPattern(), key);
            var ttl = await database.KeyTimeToLiveAsync(key).WaitAsync(ShopApp.RequestTimeout);
            Assert.True(ttl is not null || !await database.KeyExistsAsync(key), $"{key} has no TTL.");
        }

        // The "Reset rate limits" dashboard button on Catalog.Api, run the way the dashboard runs it: the counters
        // live in one Redis, so one service's reset clears every service's.
        var catalogResource = shop.App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Single(resource => resource.Name == ShopResources.Catalog);
        var result = await shop.App.ResourceCommands.ExecuteCommandAsync(catalogResource, "reset-rate-limits")
            .WaitAsync(ShopApp.RequestTimeout);

        Assert.True(result.Success, result.Message);
        Assert.Empty(await LimiterKeysAsync(redis));
        var afterReset = await StorefrontVisitor.SignInAsync(storefront, account, "guess");
        Assert.Equal(HttpStatusCode.OK, afterReset.Status);
        Assert.NotNull(afterReset.Page.LoginError);
    }

    private static async Task<List<string>> LimiterKeysAsync(IConnectionMultiplexer redis)
    {
        var keys = new List<string>();
        await foreach (var key in redis.KeysEverywhereAsync("rl:*"))
        {
            keys.Add(key.ToString());
        }
        return keys;
    }

    // rl:{algorithm}:{policy:partition} plus the library's own suffixes (:exp, :stats, :ts).
    [GeneratedRegex(@"^rl:(fw|sw|tb):\{(?<policy>browse|sign-in|sign-in-client|cart-write|stock-write|admin-write):[^}]+\}(:[a-z]+)?$")]
    private static partial Regex KeyPattern();
}
