using System.Net;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Testing;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// The browse and product pages of a visitor without cookies come from the shared Redis output cache: rendered once,
/// a hit on every replica, evicted by the catalog's tags, and never holding (or served to) anything personal.
/// </summary>
public sealed class AnonymousPageCacheTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await redis.ClearAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Theory]
    [InlineData("/")]
    [InlineData("/?category=kitchen&sort=price&page=2")]
    [InlineData("/?q=teapot")]
    [InlineData("/products/1")]
    public async Task ACookielessPageRenderedOnOneReplicaIsAHitOnAnotherThatAsksTheCatalogNothing(string path)
    {
        var catalog = new TestCatalog();
        await using var replicaA = new StorefrontFactory(redis, catalog);
        await using var replicaB = new StorefrontFactory(redis, catalog);

        var rendered = await replicaA.NewClient().GetAsync(path);
        var callsToRender = catalog.ListRequests + catalog.ItemRequests;
        var hit = await replicaB.NewClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, rendered.StatusCode);
        Assert.Null(rendered.Headers.Age);
        Assert.Equal(HttpStatusCode.OK, hit.StatusCode);
        Assert.NotNull(hit.Headers.Age);
        Assert.True(callsToRender > 0);
        Assert.Equal(callsToRender, catalog.ListRequests + catalog.ItemRequests);
        Assert.Equal(await rendered.Content.ReadAsStringAsync(), await hit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ACachedPageHoldsNoAntiforgeryTokenNoCookieAndAnEmptyCart()
    {
        await using var app = new StorefrontFactory(redis);

        await app.NewClient().GetAsync("/");
        var hit = await app.NewClient().GetAsync("/");
        var html = await hit.Content.ReadAsStringAsync();

        Assert.NotNull(hit.Headers.Age);
        Assert.False(hit.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("__RequestVerificationToken", html, StringComparison.Ordinal);
        Assert.Equal("0", html.TestId("cart-count"));
        Assert.Null(html.TestId("user-name"));
        Assert.Contains("action=\"/cart/add\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/products/1", "product:1", true)]
    [InlineData("/products/1", "product:2", false)]
    [InlineData("/", "product:2", true)]
    [InlineData("/", "catalog", true)]
    [InlineData("/products/2", ShopOutputCache.EverythingTag, true)]
    public async Task ThePageIsEvictedOnEveryReplicaByTheTagsOfWhatItShows(string path, string evictedTag, bool evicted)
    {
        var catalog = new TestCatalog();
        await using var replicaA = new StorefrontFactory(redis, catalog);
        await using var replicaB = new StorefrontFactory(redis, catalog);
        await replicaA.NewClient().GetAsync(path);
        Assert.NotNull((await replicaB.NewClient().GetAsync(path)).Headers.Age);

        // What Catalog.Api's write path does after a write, on the one store every replica of every service shares.
        await replicaA.Services.GetRequiredService<IOutputCacheStore>().EvictByTagAsync(evictedTag, default);
        var next = await replicaB.NewClient().GetAsync(path);

        Assert.Equal(evicted, next.Headers.Age is null);
    }

    [Theory]
    [InlineData(".shop.session")]
    [InlineData(".SHOP.SESSION")]
    [InlineData(".Shop.Auth")]
    [InlineData(".shop.af")]
    public async Task ARequestWithAnyOfOurCookiesInAnyCaseIsNeitherServedFromNorStoredInTheSharedEntry(string cookie)
    {
        await using var app = new StorefrontFactory(redis);
        var withCookie = app.CreateClient(new() { HandleCookies = false, AllowAutoRedirect = false });
        withCookie.DefaultRequestHeaders.Add("Cookie", $"{cookie}=someone");

        var first = await withCookie.GetAsync("/products/2");    // must not be stored...
        var anonymous = await app.NewClient().GetAsync("/products/2"); // ...so this one renders and stores
        var again = await withCookie.GetAsync("/products/2");    // and this one must not be served from it

        Assert.Null(first.Headers.Age);
        Assert.Null(anonymous.Headers.Age);
        Assert.Null(again.Headers.Age);
    }

    [Fact]
    public async Task AShopperWithACartSeesTheirCountNotTheCachedPageAndLeavesNothingInIt()
    {
        await using var app = new StorefrontFactory(redis);
        var shopper = app.NewClient();
        await app.NewClient().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, (await shopper.PostAsync("/cart/add", StorefrontFactory.Form(("productId", "1"), ("quantity", "2")))).StatusCode);

        var own = await shopper.GetAsync("/");
        var stranger = await app.NewClient().GetAsync("/");

        Assert.Null(own.Headers.Age);
        Assert.Equal("2", (await own.Content.ReadAsStringAsync()).TestId("cart-count"));
        Assert.NotNull(stranger.Headers.Age);
        Assert.Equal("0", (await stranger.Content.ReadAsStringAsync()).TestId("cart-count"));
    }

    [Fact]
    public async Task ASignedInShoppersPageIsNeverStoredForOthers()
    {
        await using var app = new StorefrontFactory(redis);
        var alice = app.NewClient();
        var login = await alice.GetStringAsync("/account/login");
        await alice.PostAsync("/account/login", StorefrontFactory.Form(("__RequestVerificationToken", StorefrontFactory.Token(login)),
            ("username", "alice"), ("password", "alice-shops-2026"), ("returnUrl", "/")));

        var hers = await alice.GetStringAsync("/?q=mug");
        var stranger = await app.NewClient().GetAsync("/?q=mug");

        Assert.Equal("Alice Liddell", hers.TestId("user-name"));
        Assert.Null(stranger.Headers.Age);
        Assert.Null((await stranger.Content.ReadAsStringAsync()).TestId("user-name"));
    }
}
