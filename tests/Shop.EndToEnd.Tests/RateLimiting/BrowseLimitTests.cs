using System.Net;

namespace Shop.EndToEnd.Tests.RateLimiting;

[Collection(RateLimitingCollection.Name)]
public sealed class BrowseLimitTests(RateLimitingAppFixture shop)
{
    private const int RequestsPerShopper = 40;

    [Fact]
    public async Task TwoShoppersBurstingOverEveryReplicaGetExactlyTheLimitEachAndAreAdmittedAgainAfterRetryAfter()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        // Signed-in shoppers: anonymous cookieless requests would all share the loopback address's partition.
        var alice = await StorefrontVisitor.SignedInCookieAsync(client, "alice");
        var bob = await StorefrontVisitor.SignedInCookieAsync(client, "bob");
        string[] paths = ["/images/products/1", "/products/2", "/images/products/3", "/"];

        // 80 concurrent requests, each on a new connection, so on every replica; the two bursts interleave.
        var responses = await Task.WhenAll(Enumerable.Range(0, RequestsPerShopper * 2).Select(async i =>
        {
            var (shopper, cookie) = i % 2 == 0 ? ("alice", alice) : ("bob", bob);
            using var response = await client.SendAsync(StorefrontVisitor.Get(paths[i / 2 % paths.Length], cookie));
            return (Shopper: shopper, response.StatusCode, Instance: response.Instance(),
                RetryAfter: response.Headers.RetryAfter?.Delta, Page: await StorefrontPage.ReadAsync(response));
        }));

        // Each shopper's burst reached every replica: the limit held because the count is shared, not because one replica saw it all.
        foreach (var shopper in new[] { "alice", "bob" })
        {
            Assert.Equal(shop.ReplicaInstances(ShopResources.Frontend).Order(),
                responses.Where(r => r.Shopper == shopper).Select(r => r.Instance).Distinct().Order());
        }
        foreach (var shopper in new[] { "alice", "bob" })
        {
            var own = responses.Where(r => r.Shopper == shopper).ToList();
            Assert.Equal(RateLimitingAppFixture.BrowseLimit, own.Count(r => r.StatusCode == HttpStatusCode.OK));
            var refused = own.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
            Assert.Equal(RequestsPerShopper - RateLimitingAppFixture.BrowseLimit, refused.Count);
            Assert.All(refused, r =>
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, r.StatusCode);
                Assert.True(r.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {r.RetryAfter}.");
                Assert.True(r.Page.IsFriendly429Page, "A refused page should be the friendly 429 page.");
            });
        }

        // The promise of Retry-After: wait that long and the shopper is admitted again, on any replica.
        var wait = responses.Where(r => r.RetryAfter is not null).Max(r => r.RetryAfter!.Value);
        await Task.Delay(wait);
        for (var i = 0; i < 3; i++)
        {
            using var again = await client.SendAsync(StorefrontVisitor.Get("/products/1", alice));
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
    }

    [Fact]
    public async Task StaticFilesAndHealthAreNeverLimitedEvenForAShopperOverTheLimit()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        var carol = ".shop.session=" + Guid.NewGuid().ToString("N");
        var pages = await Task.WhenAll(Enumerable.Range(0, RateLimitingAppFixture.BrowseLimit + 5).Select(async _ =>
        {
            using var response = await client.SendAsync(StorefrontVisitor.Get("/images/products/4", carol));
            return response.StatusCode;
        }));
        Assert.Equal(5, pages.Count(s => s == HttpStatusCode.TooManyRequests));

        foreach (var path in new[] { "/css/site.css", "/health", "/alive", "/css/site.css", "/health", "/alive" })
        {
            using var response = await client.SendAsync(StorefrontVisitor.Get(path, carol));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
