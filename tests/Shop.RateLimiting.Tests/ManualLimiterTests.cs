using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Testing;

namespace Shop.RateLimiting.Tests;

/// <summary>
/// <see cref="ShopRateLimiter"/>, the by-hand check for a second limit on one request, and policies whose
/// partition is null for some requests (a page whose GETs are free and POSTs limited).
/// </summary>
public sealed class ManualLimiterTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AManualCheckOnTwoReplicasAdmitsExactlyTheLimitAndRejectsLikeTheMiddleware()
    {
        await using var replicaA = await LimitedApp.StartAsync(redis.ConnectionString);
        await using var replicaB = await LimitedApp.StartAsync(redis.ConnectionString);
        using var rejectionsA = replicaA.RecordRejections();
        using var rejectionsB = replicaB.RecordRejections();
        var partition = "account:" + Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 3 * LimitedApp.Limit).Select(i =>
            (i % 2 == 0 ? replicaA : replicaB).SendAsync("manual", partition)));

        Assert.Equal(LimitedApp.Limit, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), response =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Equal($"{LimitedApp.Limit}", response.Headers.GetValues("X-RateLimit-Limit").Single());
        });
        Assert.Equal(2 * LimitedApp.Limit, rejectionsA.Count("manual", "limit") + rejectionsB.Count("manual", "limit"));
        Assert.Contains((await redis.KeysWithTtlAsync()).Keys, key => key.Contains($"{{manual:{partition}}}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARequestWhosePartitionIsNullIsNotLimitedAndWritesNoKey()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var before = (await redis.KeysWithTtlAsync()).Count;

        for (var i = 0; i < 2 * LimitedApp.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", "none")).StatusCode);
        }

        Assert.Equal(before, (await redis.KeysWithTtlAsync()).Count);
    }

    [Fact]
    public async Task AManualCheckOfAnUndeclaredPolicyIsAProgrammingError()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var limiter = app.Services.GetRequiredService<ShopRateLimiter>();

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await limiter.TryAcquireAsync("not-declared", "x", CancellationToken.None));
    }
}
