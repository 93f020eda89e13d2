using System.Net;

namespace Shop.EndToEnd.Tests.RateLimiting;

[Collection(RateLimitingCollection.Name)]
public sealed class SignInLimitTests(RateLimitingAppFixture shop)
{
    [Fact]
    public async Task TheSixthAttemptForOneAccountFromAnyAddressIsRefusedOnEveryReplicaAndTheRightPasswordIsRefusedWithoutAHint()
    {
        // Every attempt from an address of its own: the per-account limit is what stops them, not the per-client one.
        async Task<StorefrontVisitor.SignInAnswer> AttemptAsync(string password)
        {
            using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
            return await StorefrontVisitor.SignInAsync(client, "carol", password);
        }
        for (var i = 0; i < RateLimitingAppFixture.SignInLimit; i++)
        {
            var wrong = await AttemptAsync($"guess-{i}");
            Assert.Equal(HttpStatusCode.OK, wrong.Status);
            Assert.NotNull(wrong.Page.LoginError);
        }

        var attempt = 0;
        await EveryReplica.ShowsAsync(shop.ReplicaInstances(ShopResources.Frontend),
            // Alternate the right password and a wrong one: both must get the same refusal.
            () => AttemptAsync(attempt++ % 2 == 0 ? "carol-shops-2026" : $"guess-again-{attempt}"),
            answer => answer.Page.Instance,
            answer =>
            {
                Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
                Assert.True(answer.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {answer.RetryAfter}.");
                Assert.True(answer.Page.IsFriendly429Page, "The refusal should be the friendly 429 page.");
                Assert.Null(answer.Page.LoginError);
                Assert.Null(answer.AuthCookie);
                Assert.DoesNotContain("carol-shops-2026", answer.Page.Html, StringComparison.Ordinal);
            });
    }
}
