using System.Net;
using System.Text.Json;

namespace Shop.EndToEnd.Tests.RateLimiting;

/// <summary>
/// The limits counted per client address, with clients on addresses of their own (<see cref="ClientAddresses"/>)
/// reaching the storefront through the gateway: the address counted is the one the gateway saw, so one client's
/// burst never spends another's budget.
/// </summary>
[Collection(RateLimitingCollection.Name)]
public sealed class ClientAddressLimitTests(RateLimitingAppFixture shop)
{
    [Fact]
    public async Task SignInAttemptsFromOneAddressAreRefusedAfterTheLimitWhileAnotherAddressMaySignIn()
    {
        using var mallory = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var alice = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);

        // A different account each time, so the per-account limit never applies: only the address is counted.
        for (var i = 0; i < RateLimitingAppFixture.SignInClientLimit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await StorefrontVisitor.SignInAsync(mallory, $"nobody-{Guid.NewGuid():N}", "guess")).Status);
        }
        var refused = await StorefrontVisitor.SignInAsync(mallory, $"nobody-{Guid.NewGuid():N}", "guess");
        var other = await StorefrontVisitor.SignInAsync(alice, "alice", DemoAccounts.Password("alice"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.True(refused.Page.IsFriendly429Page);
        Assert.Equal(HttpStatusCode.Redirect, other.Status);
        Assert.NotNull(other.AuthCookie);
    }

    [Fact]
    public async Task CookielessVisitsFromOneAddressAreRefusedAfterTheBrowseLimitWhileAnotherAddressBrowses()
    {
        using var crawler = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var shopper = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);

        var visits = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitingAppFixture.BrowseLimit; i++)
        {
            using var response = await crawler.GetAsync($"/products/{i % 5 + 1}");
            visits.Add(response.StatusCode);
        }
        using var other = await shopper.GetAsync("/products/1");

        Assert.Equal(RateLimitingAppFixture.BrowseLimit, visits.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, visits[^1]);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TheGatewayRefusesAnAddressPastItsCeilingWithAProblemAndRetryAfterWhileAnotherAddressIsServed()
    {
        using var flood = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var shopper = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);

        // /admin/* is answered by the gateway itself (404), so the flood costs no replica and only the edge counts it.
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < RateLimitingAppFixture.EdgeLimit; i++)
        {
            using var response = await flood.GetAsync("/admin/anything");
            answers.Add(response.StatusCode);
        }
        using var refused = await flood.GetAsync("/admin/anything");
        using var served = await shopper.GetAsync("/products/1");

        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetInt32());
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }
}
