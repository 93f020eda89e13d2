using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.RateLimiting.Tests;

/// <summary>What the limiter does when Redis is unreachable: never a 5xx for FallBackToLocal, 503 for FailClosed.</summary>
public sealed class RedisOutageTests
{
    private static string UnreachableRedis() => RedisServer.Unreachable();

    [Fact]
    public async Task WithRedisUnreachableAFallBackToLocalPolicyAdmitsUpToTheLimitPerReplicaAndNeverAnswers5xx()
    {
        await using var app = await LimitedApp.StartAsync(UnreachableRedis());
        using var rejections = app.RecordRejections();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < LimitedApp.Limit + 5; i++)
        {
            statuses.Add((await app.SendAsync("sliding", "shopper")).StatusCode);
        }

        Assert.Equal(LimitedApp.Limit, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
        Assert.Equal(5, rejections.Count("sliding", "limit"));
    }

    [Fact]
    public async Task WithRedisUnreachableAFailClosedPolicyAnswers503ProblemDetailsAndCountsTheReason()
    {
        await using var app = await LimitedApp.StartAsync(UnreachableRedis());
        using var rejections = app.RecordRejections();

        var response = await app.SendAsync("sign-in", "alice");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(503, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("sign-in", problem.RootElement.GetProperty("policy").GetString());
        Assert.Equal(1, rejections.Count("sign-in", "redis-unavailable"));
        Assert.Equal(0, rejections.Count("sign-in", "limit"));
    }

    [Fact]
    public async Task WhenRedisDiesMidwayRequestsFallBackAndWhenItReturnsLimitsAreSharedAgain()
    {
        await using var redis = new RedisServer();
        await redis.StartAsync();
        await using var replicaA = await LimitedApp.StartAsync(redis.ConnectionString);
        await using var replicaB = await LimitedApp.StartAsync(redis.ConnectionString);
        Assert.Equal(HttpStatusCode.OK, (await replicaA.SendAsync("fixed", "before")).StatusCode);

        await redis.StopAsync();
        var during = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            during.Add((await replicaA.SendAsync("fixed", "during")).StatusCode);
        }
        Assert.All(during, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await replicaA.SendAsync("sign-in", "during")).StatusCode);

        // Same port and password: both replicas' multiplexers reconnect by themselves.
        redis.StartAgain();
        await WaitUntilBothCountInRedisAsync(redis, replicaA, replicaB);

        // Shared again: half the limit on each replica uses it up, so the next request on either is refused. Two
        // per-replica counts would each still have half the limit left. Also for the partition that counted on
        // replica A during the outage (Redis never saw it): a limiter that kept counting locally after Redis came
        // back would refuse on A while B still admits.
        foreach (var partition in new[] { "during", "after-" + Guid.NewGuid().ToString("N") })
        {
            for (var i = 0; i < LimitedApp.Limit; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await (i % 2 == 0 ? replicaA : replicaB).SendAsync("fixed", partition)).StatusCode);
            }
            Assert.Equal(HttpStatusCode.TooManyRequests, (await replicaA.SendAsync("fixed", partition)).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await replicaB.SendAsync("fixed", partition)).StatusCode);
        }
    }

    /// <summary>Sends probe requests until each replica's limiter has written its probe partition to Redis again.</summary>
    private static async Task WaitUntilBothCountInRedisAsync(RedisServer redis, LimitedApp replicaA, LimitedApp replicaB)
    {
        using var check = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{redis.Port},password={redis.Password},abortConnect=false");
        var deadline = Stopwatch.StartNew();
        foreach (var (replica, probe) in new[] { (replicaA, "probe-a"), (replicaB, "probe-b") })
        {
            while (!check.IsConnected || !await check.GetDatabase().KeyExistsAsync($"rl:fw:{{fixed:{probe}}}"))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the limiter never wrote to Redis again");
                Assert.True((int)(await replica.SendAsync("fixed", probe)).StatusCode < 500);
                await Task.Delay(200);
            }
        }
    }
}
