using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Shop.Testing;

namespace Shop.Cart.Api.Tests;

/// <summary>
/// The cart-write token bucket as Cart.Api wires it: two "replicas" (factories with their own multiplexer)
/// on one Redis, a bucket of <see cref="Tokens"/> that does not refill during the test.
/// </summary>
public sealed class CartWriteRateLimitTests(CartApiFixture fixture) : IClassFixture<CartApiFixture>, IAsyncLifetime
{
    private const int Tokens = 5;

    private readonly List<IAsyncDisposable> _replicas = [];
    private HttpClient _replicaA = null!;
    private HttpClient _replicaB = null!;

    public ValueTask InitializeAsync()
    {
        _replicaA = StartReplica();
        _replicaB = StartReplica();
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task TwelveConcurrentWritesToOneCartOnTwoReplicasAdmitExactlyTheBucketAndTheRestGet429Problems()
    {
        var cartId = TestCarts.NewAnonymousId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? _replicaA : _replicaB).PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""")));

        Assert.Equal(Tokens, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var rejected in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            var problem = await rejected.ReadProblemAsync(HttpStatusCode.TooManyRequests);
            Assert.Equal("cart-write", problem.GetProperty("policy").GetString());
            Assert.True(rejected.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal($"{Tokens}", rejected.Headers.GetValues("X-RateLimit-Limit").Single());
        }
        var cart = await (await _replicaB.GetAsync($"/api/carts/{cartId}")).ReadCartAsync();
        Assert.Equal(Tokens, cart.Lines.Single().Quantity);
    }

    [Fact]
    public async Task WritesWithoutTheCartsTokenSpendNothingSoTheShopperKeepsTheWholeBucket()
    {
        var alice = TestCarts.NewUserId();
        var junk = new[] { null, TestSecrets.ForgedCartToken(alice), TestSecrets.CartToken(TestCarts.NewUserId()), "not-a-jwt" };

        // Four times the bucket of refused writes to alice's cart, none with a token for it.
        for (var i = 0; i < Tokens * 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{alice}/items") { Content = HttpAssertions.Json("""{ "productId": 2, "quantity": 1 }""") };
            request.Headers.TryAddWithoutValidation("Authorization", junk[i % junk.Length] is { } token ? "Bearer " + token : "Bearer");
            var refused = await (i % 2 == 0 ? _replicaA : _replicaB).SendAsync(request);
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{(int)refused.StatusCode}");
        }

        for (var i = 0; i < Tokens; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _replicaA.PostJsonAsync($"/api/carts/{alice}/items", """{ "productId": 2, "quantity": 1 }""")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _replicaB.PostJsonAsync($"/api/carts/{alice}/items", """{ "productId": 2, "quantity": 1 }""")).StatusCode);
    }

    [Fact]
    public async Task ReadsAreFreeAndAnotherCartHasItsOwnBucket()
    {
        var cartId = TestCarts.NewUserId();
        var other = TestCarts.NewUserId();
        for (var i = 0; i < Tokens; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _replicaA.PutAsync($"/api/carts/{cartId}/items/2", HttpAssertions.Json("""{ "quantity": 1 }"""))).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await _replicaB.DeleteAsync($"/api/carts/{cartId}")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await _replicaB.PostAsync($"/api/carts/{cartId}/checkout", null)).StatusCode);
        for (var i = 0; i < Tokens * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _replicaB.GetAsync($"/api/carts/{cartId}")).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await _replicaB.PostJsonAsync($"/api/carts/{other}/items", """{ "productId": 2, "quantity": 1 }""")).StatusCode);
    }

    [Fact]
    public async Task TheBucketKeyNamesThePolicyAndTheCartAndExpires()
    {
        var cartId = TestCarts.NewAnonymousId();
        Assert.Equal(HttpStatusCode.OK, (await _replicaA.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""")).StatusCode);

        var keys = (await fixture.Redis.KeysWithTtlAsync()).Where(k => k.Key.Contains(cartId, StringComparison.Ordinal)
            && k.Key.StartsWith("rl:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.Contains($"cart-write:cart:{cartId}", key.Key, StringComparison.Ordinal);
            Assert.NotNull(key.Value);
        });
    }

    [Fact]
    public async Task AnInvalidCartIdIsStill400AndWritesNoLimiterKey()
    {
        var response = await _replicaA.PostJsonAsync("/api/carts/NOT-A-CART/items", """{ "productId": 2, "quantity": 1 }""");

        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain((await fixture.Redis.KeysWithTtlAsync()).Keys, key => key.Contains("NOT-A-CART", StringComparison.Ordinal));
    }

    private HttpClient StartReplica()
    {
        var factory = new CartApiFactory(fixture.Redis.ConnectionString, fixture.Catalog.Url);
        var limited = factory.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimiting:Policies:cart-write:TokenLimit", $"{Tokens}");
            builder.UseSetting("RateLimiting:Policies:cart-write:TokensPerPeriod", "1");
            builder.UseSetting("RateLimiting:Policies:cart-write:ReplenishmentPeriod", "01:00:00");
        });
        _replicas.Add(limited);
        _replicas.Add(factory);
        return limited.CreateStorefrontClient();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
        {
            await replica.DisposeAsync();
        }
    }
}
