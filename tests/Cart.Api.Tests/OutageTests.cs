using System.Net;
using System.Net.Sockets;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>With the catalog or Redis down, Cart.Api answers 503 ProblemDetails and keeps the cart as it was.</summary>
public sealed class OutageTests : IClassFixture<RedisServerFixture>
{
    private readonly RedisServerFixture _redis;

    public OutageTests(RedisServerFixture redis) => _redis = redis;

    private IDatabase Db => _redis.Connection.GetDatabase();

    /// <summary>A loopback URL where nothing listens: connections are refused at once.</summary>
    private static string DeadUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }

    [Fact]
    public async Task CheckoutWhileTheCatalogIsDownIs503AndKeepsTheCart()
    {
        await using var factory = new CartApiFactory(_redis.ConnectionString, DeadUrl());
        using var client = factory.CreateStorefrontClient();
        var cartId = TestCarts.NewUserId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", [new HashEntry(1, 2), new HashEntry(2, 1)]);

        var response = await client.PostAsync($"/api/carts/{cartId}/checkout", null);

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 1 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task CartReadsAndAddsWhileTheCatalogIsDownAre503AndWriteNothing()
    {
        await using var factory = new CartApiFactory(_redis.ConnectionString, DeadUrl());
        using var client = factory.CreateStorefrontClient();
        var cartId = TestCarts.NewAnonymousId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", 1, 2);

        var read = await client.GetAsync($"/api/carts/{cartId}");
        var add = await client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""");

        await read.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        await add.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(new Dictionary<int, int> { [1] = 2 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task RedisDownIs503ProblemDetailsNotA500()
    {
        await using var catalog = new FakeCatalog();
        await catalog.StartAsync();
        var deadRedis = $"127.0.0.1:{new Uri(DeadUrl()).Port},abortConnect=false";
        await using var factory = new CartApiFactory(deadRedis, catalog.Url);
        using var client = factory.CreateStorefrontClient();
        var cartId = TestCarts.NewAnonymousId();

        var read = await client.GetAsync($"/api/carts/{cartId}");
        var add = await client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 1 }""");
        var checkout = await client.PostAsync($"/api/carts/{cartId}/checkout", null);

        await read.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        await add.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        await checkout.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(0, catalog.TotalReserveCalls);
    }

    [Fact]
    public async Task AddsWhileRedisIsFullAre503ProblemDetailsAndTheCartIsAsItWas()
    {
        Assert.SkipWhen(TestRedis.Kind == TestRedisKind.Garnet,
            "Garnet has no maxmemory to refuse writes with: its log spills to disk (--storage-tier) instead.");
        await using var catalog = new FakeCatalog();
        await catalog.StartAsync();
        await using var factory = new CartApiFactory(_redis.ConnectionString, catalog.Url);
        using var client = factory.CreateStorefrontClient();
        var cartId = TestCarts.NewAnonymousId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", 1, 2);
        var server = _redis.Connection.GetServers()[0];

        // As the AppHost's Redis is run (maxmemory, noeviction): once full, Redis refuses every write with OOM.
        await server.ConfigSetAsync("maxmemory", "1");
        HttpResponseMessage add;
        try
        {
            add = await client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""");
        }
        finally
        {
            await server.ConfigSetAsync("maxmemory", "0");
        }

        await add.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(new Dictionary<int, int> { [1] = 2 }, await Db.StoredLinesAsync(cartId));
    }
}
