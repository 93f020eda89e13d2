using System.Net;
using System.Text.Json;
using Shop.Testing;

namespace Shop.RateLimiting.Tests;

/// <summary>Two app instances ("replicas"), each with its own multiplexer, sharing one real Redis.</summary>
public sealed class DistributedLimitTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Theory]
    [InlineData("fixed")]
    [InlineData("sliding")]
    [InlineData("bucket")]
    public async Task FortyConcurrentRequestsOnTwoReplicasAdmitExactlyTheLimit(string policy)
    {
        await using var replicaA = await LimitedApp.StartAsync(redis.ConnectionString);
        await using var replicaB = await LimitedApp.StartAsync(redis.ConnectionString);
        var partition = Guid.NewGuid().ToString("N");

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? replicaA : replicaB).SendAsync(policy, partition)));

        Assert.Equal(LimitedApp.Limit, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        var rejected = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(40 - LimitedApp.Limit, rejected.Count);
        foreach (var response in rejected)
        {
            await AssertTooManyRequestsAsync(response, policy);
        }
    }

    [Fact]
    public async Task TwoPartitionsOfOnePolicyAreIndependent()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var alice = "alice-" + Guid.NewGuid().ToString("N");
        var bob = "bob-" + Guid.NewGuid().ToString("N");

        for (var i = 0; i < LimitedApp.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", alice)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.SendAsync("fixed", alice)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", bob)).StatusCode);
    }

    [Fact]
    public async Task TwoPoliciesOnTheSamePartitionDoNotShareACounterAndTheirKeysNameThePolicy()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var partition = Guid.NewGuid().ToString("N");

        for (var i = 0; i < LimitedApp.Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", partition)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.SendAsync("fixed", partition)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("sliding", partition)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("bucket", partition)).StatusCode);

        var keys = (await redis.KeysWithTtlAsync()).Keys.Where(key => key.Contains(partition, StringComparison.Ordinal)).ToList();
        Assert.Contains($"rl:fw:{{fixed:{partition}}}", keys);
        Assert.Contains($"rl:sw:{{sliding:{partition}}}", keys);
        Assert.Contains($"rl:tb:{{bucket:{partition}}}", keys);
        Assert.All(keys, key => Assert.Matches($"^rl:(fw|sw|tb):{{(fixed|sliding|bucket):{partition}}}", key));
    }

    [Fact]
    public async Task EveryKeyTheLimitersWriteHasATtlNoLongerThanItsPeriod()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var partition = Guid.NewGuid().ToString("N");
        foreach (var policy in new[] { "fixed", "sliding", "bucket" })
        {
            // Enough to write both the admitted and the rejected paths of each script.
            for (var i = 0; i <= LimitedApp.Limit; i++)
            {
                await app.SendAsync(policy, partition);
            }
        }

        var keys = (await redis.KeysWithTtlAsync()).Where(pair => pair.Key.Contains(partition, StringComparison.Ordinal)).ToList();
        Assert.True(keys.Count >= 3, string.Join(", ", keys.Select(k => k.Key)));
        Assert.All(keys, pair =>
        {
            Assert.StartsWith("rl:", pair.Key, StringComparison.Ordinal);
            Assert.True(pair.Value is { } ttl && ttl > TimeSpan.Zero && ttl <= TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(2),
                $"{pair.Key} has TTL {pair.Value?.ToString() ?? "none"}");
        });
    }

    [Theory]
    [InlineData("fixed", "RateLimiting:Policies:fixed:PermitLimit", "RateLimiting:Policies:fixed:Window")]
    [InlineData("sliding", "RateLimiting:Policies:sliding:PermitLimit", "RateLimiting:Policies:sliding:Window")]
    [InlineData("bucket", "RateLimiting:Policies:bucket:TokenLimit", "RateLimiting:Policies:bucket:ReplenishmentPeriod")]
    public async Task APartitionIsAdmittedAgainOnceItsRetryAfterHasPassed(string policy, string limitKey, string periodKey)
    {
        // Tiny limits from configuration, over the defaults the service declares in code.
        var configuration = new Dictionary<string, string?> { [limitKey] = "2", [periodKey] = "00:00:02" };
        if (policy == "bucket")
        {
            configuration["RateLimiting:Policies:bucket:TokensPerPeriod"] = "2";
        }
        await using var replicaA = await LimitedApp.StartAsync(redis.ConnectionString, configuration);
        await using var replicaB = await LimitedApp.StartAsync(redis.ConnectionString, configuration);
        var partition = Guid.NewGuid().ToString("N");

        Assert.Equal(HttpStatusCode.OK, (await replicaA.SendAsync(policy, partition)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await replicaB.SendAsync(policy, partition)).StatusCode);
        var rejected = await replicaA.SendAsync(policy, partition);
        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.Equal("2", rejected.Headers.GetValues("X-RateLimit-Limit").Single());
        var retryAfter = rejected.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("no Retry-After");
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));

        await Task.Delay(retryAfter);

        Assert.Equal(HttpStatusCode.OK, (await replicaB.SendAsync(policy, partition)).StatusCode);
    }

    [Fact]
    public async Task DisablingRateLimitingAdmitsEverythingAndWritesNoKeys()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString,
            new Dictionary<string, string?> { ["RateLimiting:Enabled"] = "false" });
        var partition = Guid.NewGuid().ToString("N");

        for (var i = 0; i < LimitedApp.Limit * 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", partition)).StatusCode);
        }
        Assert.DoesNotContain((await redis.KeysWithTtlAsync()).Keys, key => key.Contains(partition, StringComparison.Ordinal));
    }

    [Fact]
    public async Task EndpointsThatDoNotOptInAreNeverLimited()
    {
        await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
        var partition = Guid.NewGuid().ToString("N");
        for (var i = 0; i <= LimitedApp.Limit; i++)
        {
            await app.SendAsync("fixed", partition);
        }

        var unlimited = await app.Client.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/unlimited")
        {
            Headers = { { "X-Partition", partition } },
        });

        Assert.Equal(HttpStatusCode.OK, unlimited.StatusCode);
        Assert.False(unlimited.Headers.Contains("X-RateLimit-Limit"));
    }

    [Theory]
    [InlineData("RateLimiting:Policies:sliding:PermitLimit", "0", "sliding")]
    [InlineData("RateLimiting:Policies:fixed:Window", "00:00:00.500", "fixed")]
    [InlineData("RateLimiting:Policies:bucket:TokensPerPeriod", "0", "bucket")]
    [InlineData("RateLimiting:Policies:bucket:TokenLimit", "-3", "bucket")]
    public async Task ALimitOrPeriodMissingOrBelowItsMinimumStopsTheServiceFromStartingAndNamesThePolicy(string key, string value, string policy)
    {
        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            LimitedApp.StartAsync(redis.ConnectionString, new Dictionary<string, string?> { [key] = value }));

        Assert.Contains($"RateLimiting:Policies:{policy} ", refused.Message, StringComparison.Ordinal);
    }

    internal static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, string policy)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
        Assert.Equal(LimitedApp.Limit.ToString(), response.Headers.GetValues("X-RateLimit-Limit").Single());
        Assert.Equal("0", response.Headers.GetValues("X-RateLimit-Remaining").Single());
        Assert.True(int.Parse(response.Headers.GetValues("X-RateLimit-Reset").Single()) >= 1);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(429, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal(policy, problem.RootElement.GetProperty("policy").GetString());
    }
}
