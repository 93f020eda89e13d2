using System.Net;
using System.Text.Json;
using Shop.Testing;

namespace Shop.RateLimiting.Tests;

public sealed class RateLimitAdminTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task ResetWithoutTheApiKeyHeaderIs401AndWithAWrongKeyIs403AndDeletesNothing()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var partition = Guid.NewGuid().ToString("N");
        await app.SendAsync("fixed", partition);

        var missing = await app.Client.PostAsync("/admin/rate-limits/reset", null);
        var wrong = await app.Client.SendAsync(Reset("not-the-key"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Contains((await redis.KeysWithTtlAsync()).Keys, key => key.Contains(partition, StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithNoAdminKeyConfiguredEveryResetIsRefusedAndDeletesNothing()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString,
            new Dictionary<string, string?> { ["Admin:ApiKey"] = "" });
        var partition = Guid.NewGuid().ToString("N");
        await app.SendAsync("fixed", partition);

        var withoutKey = await app.Client.PostAsync("/admin/rate-limits/reset", null);
        var withSomeKey = await app.Client.SendAsync(Reset("anything"));

        // No credential is 401, as on every admin endpoint; any credential is 403, since none can be right.
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, withSomeKey.StatusCode);
        Assert.Contains((await redis.KeysWithTtlAsync()).Keys, key => key.Contains(partition, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ResetWithTheAdminKeyDeletesEveryLimiterKeyOnEveryReplicaAndAdmitsTheBlockedPartitionAgain()
    {
        await using var replicaA = await LimitedApp.StartAsync(redis.ConnectionString);
        await using var replicaB = await LimitedApp.StartAsync(redis.ConnectionString);
        await redis.Connection.GetDatabase().StringSetAsync("shop:unrelated", "kept", TimeSpan.FromMinutes(1));
        var partition = Guid.NewGuid().ToString("N");
        for (var i = 0; i <= LimitedApp.Limit; i++)
        {
            await replicaA.SendAsync("fixed", partition);
        }
        await replicaA.SendAsync("bucket", partition);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await replicaB.SendAsync("fixed", partition)).StatusCode);
        var limiterKeys = (await redis.KeysWithTtlAsync()).Keys.Count(key => key.StartsWith("rl:", StringComparison.Ordinal));

        var response = await replicaA.Client.SendAsync(Reset(LimitedApp.AdminKey));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(limiterKeys, body.RootElement.GetProperty("deleted").GetInt64());
        var remaining = (await redis.KeysWithTtlAsync()).Keys.ToList();
        Assert.DoesNotContain(remaining, key => key.StartsWith("rl:", StringComparison.Ordinal));
        Assert.Contains("shop:unrelated", remaining);
        Assert.Equal(HttpStatusCode.OK, (await replicaB.SendAsync("fixed", partition)).StatusCode);
    }

    private static HttpRequestMessage Reset(string key) =>
        new(HttpMethod.Post, "/admin/rate-limits/reset") { Headers = { { "X-Api-Key", key } } };
}
