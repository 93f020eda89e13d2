using System.Net;
using Shop.Testing;

namespace Shop.Web.Frontend.Tests;

public sealed class StorefrontPageTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task TheHomePageListsProductsWithPriceAndStockState()
    {
        await using var app = new StorefrontFactory(redis);

        var html = await app.NewClient().GetStringAsync("/");

        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"product-card\"").Count);
        Assert.Equal("$19.99", html.TestId("price"));
        Assert.Contains("In stock", html);
        Assert.Contains("Only 3 left", html);
        Assert.Equal("0", html.TestId("cart-count"));
    }

    [Theory]
    [InlineData("/?page=2", 2)]
    [InlineData("/?category=kitchen&page=3", 3)]
    [InlineData("/?page=abc", 1)]
    public async Task ThePageNumberInTheAddressIsThePageOfResultsAsked(string path, int expected)
    {
        await redis.ClearAsync();
        var catalog = new TestCatalog();
        await using var app = new StorefrontFactory(redis, catalog);

        var response = await app.NewClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, catalog.LastPageAsked);
    }

    [Fact]
    public async Task ACookielessCatalogRequestTouchesNoSession()
    {
        await redis.ClearAsync();
        await using var app = new StorefrontFactory(redis);

        var response = await app.NewClient().GetAsync("/products/2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith(".shop.session", StringComparison.Ordinal));
        Assert.DoesNotContain((await redis.KeysWithTtlAsync()).Keys, k => k.StartsWith("shop:session:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AnUnknownProductIsTheFriendly404Page()
    {
        await using var app = new StorefrontFactory(redis);

        var response = await app.NewClient().GetAsync("/products/999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("We couldn", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PagesCarryTheSecurityHeaders()
    {
        await using var app = new StorefrontFactory(redis);

        var response = await app.NewClient().GetAsync("/");

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.True(response.Headers.Contains("Referrer-Policy"));
    }

    [Fact]
    public async Task AnAnonymousImageIsServedFromTheSharedCacheOnAnotherReplica()
    {
        await redis.ClearAsync();
        var catalog = new TestCatalog();
        await using var replicaA = new StorefrontFactory(redis, catalog);
        await using var replicaB = new StorefrontFactory(redis, catalog);

        var first = await replicaA.NewClient().GetAsync("/images/products/1");
        var second = await replicaB.NewClient().GetAsync("/images/products/1");

        Assert.Equal("image/svg+xml", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, catalog.ImageRequests);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Contains("max-age=86400", second.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ARequestWithOurCookieIsNeverServedFromOrStoredInTheCache()
    {
        await redis.ClearAsync();
        var catalog = new TestCatalog();
        await using var app = new StorefrontFactory(redis, catalog);
        var withCookie = app.CreateClient(new() { HandleCookies = false });
        withCookie.DefaultRequestHeaders.Add("Cookie", ".shop.session=someone");

        var stored = await withCookie.GetAsync("/images/products/2");     // must not be stored...
        var anonymous = await app.NewClient().GetAsync("/images/products/2"); // ...so this one misses and stores
        var again = await withCookie.GetAsync("/images/products/2");      // and this one must not be served from it

        Assert.Null(stored.Headers.Age);
        Assert.Null(anonymous.Headers.Age);
        Assert.Null(again.Headers.Age);
        Assert.Equal(3, catalog.ImageRequests);
        Assert.NotNull((await app.NewClient().GetAsync("/images/products/2")).Headers.Age);
    }
}
