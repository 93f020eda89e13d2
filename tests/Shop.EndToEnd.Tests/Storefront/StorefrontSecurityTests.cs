using System.Net;

namespace Shop.EndToEnd.Tests.Storefront;

[Collection(ShopAppCollection.Name)]
public sealed class StorefrontSecurityTests(ShopAppFixture shop)
{
    /// <summary>Keys written on purpose without a TTL, each documented in the README's key table.</summary>
    private static readonly string[] PermanentKeys = ["shop:dp-keys"];

    private Shopper NewShopper() => new(shop.Endpoint(ShopResources.Frontend));

    [Fact]
    public async Task SessionAuthAndAntiforgeryCookiesAreHttpOnlyAndSameSiteLax()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var shopper = NewShopper();
        var login = await shopper.GetAsync("/account/login");
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "carol",
                ["password"] = DemoAccounts.Password("carol"),
                ["__RequestVerificationToken"] = login.AntiforgeryToken!,
            }),
        };
        signIn.Headers.Add("Cookie", shopper.Cookies.GetCookieHeader(shopper.BaseAddress));

        using var response = await client.SendAsync(signIn);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookies = response.Headers.GetValues("Set-Cookie").ToList();
        var auth = Assert.Single(setCookies, c => c.StartsWith(".shop.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
        var loginPage = await client.GetAsync("/account/login");
        var antiforgery = Assert.Single(loginPage.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".shop.af=", StringComparison.Ordinal));
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", antiforgery, StringComparison.OrdinalIgnoreCase);
        using var adder = NewShopper();
        await adder.AddToCartAsync(31);
        var session = adder.Cookies.GetCookies(adder.BaseAddress)[".shop.session"];
        Assert.NotNull(session);
        Assert.True(session.HttpOnly);
    }

    [Fact]
    public async Task AForgedForwardedForHeaderIsReplacedByTheAddressTheGatewaySees()
    {
        using var shopper = new Shopper(shop.Endpoint(ShopResources.Frontend), forgedForwardedFor: "203.0.113.77");
        await shopper.SignInAsync("carol");

        var devices = await shopper.GetAsync("/account/sessions");

        Assert.Equal("Carol Danvers", devices.UserName);
        Assert.DoesNotContain("203.0.113.77", devices.Html);
        Assert.Contains($">{shopper.Address}<", devices.Html);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/products/7")]
    [InlineData("/account/login")]
    [InlineData("/no-such-page")]
    public async Task StorefrontPagesCarrySecurityHeaders(string path)
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend);

        using var response = await client.GetAsync(path);

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("default-src 'self'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.NotEmpty(response.Headers.GetValues("Referrer-Policy"));
    }

    [Fact]
    public async Task AfterAWholeJourneyEveryRedisKeyHasATimeToLiveExceptTheDocumentedOnes()
    {
        var products = await shop.InStockProductsAsync(2);
        await shop.ClearCartAsync("u-alice");
        using var shopper = NewShopper();
        await shopper.GetAsync("/");
        await shopper.GetAsync($"/images/products/{products[0]}");
        await shopper.AddToCartAsync(products[0], 2);
        await shopper.SignInAsync("alice");
        await shopper.AddToCartAsync(products[1]);
        var checkout = await shopper.GetAsync("/checkout");
        var order = await shopper.PostAsync("/checkout", checkout.AntiforgeryToken, ("idempotencyKey", checkout.IdempotencyKey!));
        Assert.True(order.Url!.AbsolutePath.StartsWith("/orders/", StringComparison.Ordinal), order.Html);
        await shopper.GetAsync("/account/sessions");
        await shopper.SignOutAsync();

        await using var redis = await shop.ConnectToRedisAsync();
        var db = redis.GetDatabase();
        var withoutTtl = new List<string>();
        await foreach (var redisKey in redis.KeysEverywhereAsync())
        {
            if (await db.KeyTimeToLiveAsync(redisKey) is null && !PermanentKeys.Contains(redisKey.ToString()))
            {
                withoutTtl.Add(redisKey!);
            }
        }

        Assert.Empty(withoutTtl);
    }

    [Fact]
    public async Task UnderConcurrentLoadNoShopperSeesAnotherShoppersNameCartOrOrder()
    {
        using var alice = NewShopper();
        using var bob = NewShopper();
        using var anonymous = NewShopper();
        await alice.SignInAsync("alice");
        await bob.SignInAsync("bob");
        await alice.AddToCartAsync(51);
        await bob.AddToCartAsync(52);
        await anonymous.AddToCartAsync(53);
        var aliceLines = (await alice.GetAsync("/cart")).CartLineProductIds.ToHashSet();
        var bobLines = (await bob.GetAsync("/cart")).CartLineProductIds.ToHashSet();
        Assert.Contains(51, aliceLines);
        Assert.Contains(52, bobLines);
        string[] paths = ["/", "/products/51", "/products/52", "/cart", "/?q=walnut", "/images/products/51"];

        async Task BrowseAsync(Shopper who, string? name, IReadOnlySet<int> lines, string[] strangers)
        {
            for (var round = 0; round < 12; round++)
            {
                foreach (var path in paths)
                {
                    var page = await who.GetAsync(path);
                    Assert.Equal(HttpStatusCode.OK, page.Status);
                    if (path.StartsWith("/images/", StringComparison.Ordinal))
                    {
                        continue;
                    }
                    Assert.Equal(name, page.UserName);
                    Assert.All(strangers, stranger => Assert.DoesNotContain(stranger, page.Html));
                    if (path == "/cart")
                    {
                        Assert.Equal(lines.Order(), page.CartLineProductIds.Order());
                    }
                }
            }
        }

        await Task.WhenAll(
            BrowseAsync(alice, "Alice Liddell", aliceLines, ["Bob Builder"]),
            BrowseAsync(bob, "Bob Builder", bobLines, ["Alice Liddell"]),
            BrowseAsync(anonymous, null, new HashSet<int> { 53 }, ["Alice Liddell", "Bob Builder"]));
    }
}
