using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.RateLimiting.Tests;

/// <summary>What the limiter does when Redis is unreachable: never a 5xx for FallBackToLocal, 503 for FailClosed.</summary>
public sealed class RedisOutageTests
{
    private static string UnreachableRedis() => $"127.0.0.1:{FreePort()},abortConnect=false,connectTimeout=500";

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
        var redis = new RedisServerFixture();
        await redis.InitializeAsync();
        RestartedRedis? restarted = null;
        var redisStopped = false;
        try
        {
            await using var app = await LimitedApp.StartAsync(redis.ConnectionString);
            Assert.Equal(HttpStatusCode.OK, (await app.SendAsync("fixed", "before")).StatusCode);

            await redis.DisposeAsync();
            redisStopped = true;
            var during = new List<HttpStatusCode>();
            for (var i = 0; i < 5; i++)
            {
                during.Add((await app.SendAsync("fixed", "during")).StatusCode);
            }
            Assert.All(during, status => Assert.Equal(HttpStatusCode.OK, status));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await app.SendAsync("sign-in", "during")).StatusCode);

            // Same port and password: the app's multiplexer reconnects by itself.
            restarted = RestartedRedis.Start(redis.Port, redis.Password);
            using var check = await ConnectionMultiplexer.ConnectAsync(
                $"127.0.0.1:{redis.Port},password={redis.Password},abortConnect=false");
            var deadline = Stopwatch.StartNew();
            while (!check.IsConnected || !await check.GetDatabase().KeyExistsAsync("rl:fw:{fixed:after}"))
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the limiter never wrote to Redis again");
                Assert.True((int)(await app.SendAsync("fixed", "after")).StatusCode < 500);
                await Task.Delay(200);
            }
        }
        finally
        {
            restarted?.Dispose();
            if (!redisStopped)
            {
                await redis.DisposeAsync();
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A redis-server brought back on a port a <see cref="RedisServerFixture"/> used, to test recovery.</summary>
    private sealed class RestartedRedis : IDisposable
    {
        private readonly Process _process;
        private readonly string _directory = Directory.CreateTempSubdirectory("shop-redis-restart-").FullName;

        private RestartedRedis(int port, string password)
        {
            _process = Process.Start(new ProcessStartInfo("redis-server",
                ["--bind", "127.0.0.1", "--port", port.ToString(), "--requirepass", password, "--dir", _directory,
                 "--save", "", "--appendonly", "no", "--loglevel", "warning"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("redis-server did not start.");
        }

        public static RestartedRedis Start(int port, string password) => new(port, password);

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
