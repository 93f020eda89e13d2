using System.Net;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Testing;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// A page for a shopper with a session is rendered per request (their badge is theirs), but the catalog data on it
/// (the product grid, the categories) comes from the shared Redis store: read from the catalog once, by any replica,
/// then by none until a catalog write evicts it on all of them.
/// </summary>
public sealed class SessionPageTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await redis.ClearAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("/")]
    [InlineData("/?category=kitchen")]
    [InlineData("/products/1")]
    public async Task ASessionPageRenderedOnOneReplicaAsksTheCatalogNothingOnAnother(string path)
    {
        var catalog = new TestCatalog();
        var cart = new TestCart();
        await using var replicaA = new StorefrontFactory(redis, catalog, cart);
        await using var replicaB = new StorefrontFactory(redis, catalog, cart);
        var (onA, onB) = await ShopperOnBothAsync(replicaA, replicaB);

        var rendered = await onA.GetAsync(path);
        var callsToRender = CatalogCalls(catalog);
        var again = await onB.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.True(callsToRender > 0);
        Assert.Equal(callsToRender, CatalogCalls(catalog));
        // Rendered for this shopper, not the anonymous shared page: their own count.
        Assert.Null(again.Headers.Age);
        Assert.Equal("2", (await again.Content.ReadAsStringAsync()).TestId("cart-count"));
        Assert.Equal((await rendered.Content.ReadAsStringAsync()).TestId("price"), (await again.Content.ReadAsStringAsync()).TestId("price"));
    }

    [Theory]
    [InlineData("/", "product:2")]
    [InlineData("/", "catalog")]
    [InlineData("/products/1", "product:1")]
    [InlineData("/products/1", "catalog:all")]
    public async Task ACatalogEvictionMakesTheNextSessionPageOnEveryReplicaAskTheCatalog(string path, string evictedTag)
    {
        var catalog = new TestCatalog();
        var cart = new TestCart();
        await using var replicaA = new StorefrontFactory(redis, catalog, cart);
        await using var replicaB = new StorefrontFactory(redis, catalog, cart);
        var (onA, onB) = await ShopperOnBothAsync(replicaA, replicaB);
        await onA.GetAsync(path);
        var before = CatalogCalls(catalog);

        // What Catalog.Api's write path does before the write returns, on the store every replica shares.
        await replicaA.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(evictedTag, default);
        await onB.GetAsync(path);

        Assert.True(CatalogCalls(catalog) > before, $"After evicting {evictedTag}, {path} on the other replica was served without asking the catalog.");
    }

    [Fact]
    public async Task AProductThatDoesNotExistIsAskedForEveryTimeAndNeverCached()
    {
        var catalog = new TestCatalog();
        await using var app = new StorefrontFactory(redis, catalog);
        var (shopper, _) = await ShopperOnBothAsync(app, app);

        var first = await shopper.GetAsync("/products/999");
        var second = await shopper.GetAsync("/products/999");

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal(2, catalog.ItemRequests);
    }

    /// <summary>
    /// The badge is the count in the cart's hash in Redis, where Cart.Api keeps it (<see cref="ShopCarts"/>), read by
    /// whichever replica renders the page: what another Cart.Api replica's write left (here written straight into the
    /// hash, as its script would) shows on the next page, with no call to Cart.Api for it (the contract has none).
    /// </summary>
    [Fact]
    public async Task TheBadgeOnEveryReplicaIsTheCountInTheCartsHashInRedis()
    {
        var cart = new TestCart();
        await using var replicaA = new StorefrontFactory(redis, cart: cart);
        await using var replicaB = new StorefrontFactory(redis, cart: cart);
        var (onA, onB) = await ShopperOnBothAsync(replicaA, replicaB);
        var cartId = Assert.Single(cart.Carts.Keys);

        Assert.Equal("2", (await onB.GetStringAsync("/")).TestId("cart-count"));
        await redis.Connection.GetDatabase().HashSetAsync(ShopCarts.Key(cartId), "1", 3);

        Assert.Equal("5", (await onA.GetStringAsync("/")).TestId("cart-count"));
        Assert.Equal("5", (await onB.GetStringAsync("/")).TestId("cart-count"));
    }

    /// <summary>
    /// A session page reads the session once (HMGET, then EXPIRE: the read itself slides the idle timeout), and the
    /// middleware's refresh at the end of the request, the same two commands again, is not sent.
    /// </summary>
    [Fact]
    public async Task ASessionPageReadsItsSessionOnceAndThatReadSlidesTheIdleTimeout()
    {
        await redis.ClearAsync();
        await using var storefront = new StorefrontFactory(redis);
        var (shopper, _) = await ShopperOnBothAsync(storefront, storefront);
        var server = redis.Connection.GetServers()[0];
        var db = redis.Connection.GetDatabase();
        var session = Assert.Single(await server.KeysAsync(pattern: "shop:session:*").ToListAsync());
        await db.KeyExpireAsync(session, TimeSpan.FromMinutes(1));
        var readsBefore = await CallsAsync(server, "hmget");

        Assert.Equal("2", (await shopper.GetStringAsync("/")).TestId("cart-count"));

        Assert.True(await db.KeyTimeToLiveAsync(session) > TimeSpan.FromMinutes(29), "The session page did not slide the idle timeout.");
        if (readsBefore is not null)
        {
            Assert.Equal(readsBefore + 1, await CallsAsync(server, "hmget"));
        }
    }

    /// <summary>How often Redis ran a command so far (<c>INFO commandstats</c>), or null where the server does not count it.</summary>
    private static async Task<long?> CallsAsync(StackExchange.Redis.IServer server, string command)
    {
        var stats = (await server.InfoAsync("commandstats")).SelectMany(group => group)
            .FirstOrDefault(stat => stat.Key.Equals($"cmdstat_{command}", StringComparison.OrdinalIgnoreCase));
        return stats.Value is { } value && value.Split(',')[0].Split('=') is ["calls", var calls] ? long.Parse(calls, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    private static int CatalogCalls(TestCatalog catalog) => catalog.ListRequests + catalog.ItemRequests + catalog.CategoryRequests;

    /// <summary>One shopper with two mugs in their cart, with a client on each replica carrying the same cookies.</summary>
    private static async Task<(HttpClient OnA, HttpClient OnB)> ShopperOnBothAsync(StorefrontFactory a, StorefrontFactory b)
    {
        var onA = a.NewClient();
        var added = await onA.PostAsync("/cart/add", StorefrontFactory.Form(("productId", "2"), ("quantity", "2")));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var onB = b.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        var cookies = added.Headers.GetValues("Set-Cookie").Select(c => c.Split(';', 2)[0]);
        onB.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies));
        return (onA, onB);
    }
}
