using System.Net;

namespace Shop.EndToEnd.Tests.RateLimiting;

[Collection(RateLimitingCollection.Name)]
public sealed class SignInLimitTests(RateLimitingAppFixture shop)
{
    [Fact]
    public async Task TheSixthAttemptForOneAccountIsRefusedOnEveryReplicaAndTheRightPasswordIsRefusedWithoutAHint()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        for (var i = 0; i < RateLimitingAppFixture.SignInLimit; i++)
        {
            var wrong = await StorefrontVisitor.SignInAsync(client, "carol", $"guess-{i}");
            Assert.Equal(HttpStatusCode.OK, wrong.Status);
            Assert.NotNull(StorefrontVisitor.LoginError(wrong.Html));
        }

        var replicas = ShopResources.Replicas[ShopResources.Frontend];
        var refusedOn = new HashSet<string>();
        for (var attempt = 0; attempt < 60 && refusedOn.Count < replicas; attempt++)
        {
            // Alternate the right password and a wrong one: both must get the same refusal.
            var password = attempt % 2 == 0 ? "carol-shops-2026" : $"guess-again-{attempt}";
            var answer = await StorefrontVisitor.SignInAsync(client, "carol", password);

            Assert.Equal(HttpStatusCode.TooManyRequests, answer.Status);
            Assert.True(answer.RetryAfter >= TimeSpan.FromSeconds(1), $"Retry-After was {answer.RetryAfter}.");
            Assert.True(StorefrontVisitor.IsFriendly429Page(answer.Html), "The refusal should be the friendly 429 page.");
            Assert.Null(StorefrontVisitor.LoginError(answer.Html));
            Assert.Null(answer.AuthCookie);
            Assert.DoesNotContain("carol-shops-2026", answer.Html, StringComparison.Ordinal);
            refusedOn.Add(answer.Instance);
        }

        Assert.Equal(replicas, refusedOn.Count);
    }
}
