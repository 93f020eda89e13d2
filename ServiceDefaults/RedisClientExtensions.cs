using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The one place a service connects to Redis (the AppHost's <c>AddShopRedisServer</c> is what starts it). Every
/// Redis-backed pattern (output cache, session and ticket store, Data Protection ring, rate limiter) is handed
/// this same <see cref="IConnectionMultiplexer"/>, so a process holds one connection and every Redis call shows
/// up as a span under its request.
/// </summary>
public static class RedisClientExtensions
{
    /// <summary>The AppHost's Redis resource name, and so the connection string name.</summary>
    public const string ConnectionName = "cache";

    public static TBuilder AddShopRedisClient<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Short on purpose: on loopback a command answers in well under a millisecond, and a page has several Redis
        // touchpoints, each of which would wait this long for a Redis that stalls (RedisAvailability then skips it).
        var timeout = builder.Configuration.GetValue<TimeSpan?>("RedisClient:CommandTimeout")
            ?? throw new InvalidOperationException("RedisClient:CommandTimeout (how long a Redis command may take) is not configured.");
        builder.AddRedisClient(ConnectionName, configureOptions: options =>
        {
            // Keep retrying in the background instead of failing start-up: a replica that starts while Redis
            // restarts must come back by itself once Redis does.
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = (int)timeout.TotalMilliseconds * 2;
            options.SyncTimeout = (int)timeout.TotalMilliseconds;
            options.AsyncTimeout = (int)timeout.TotalMilliseconds;
            // Try again every second however long Redis was away. The default exponential back-off grows to
            // 10 s between attempts during a long outage, so replicas would come back up to 10 s after Redis.
            options.ReconnectRetryPolicy = new LinearRetry(1_000);
            // On a Redis Cluster (a connection string that lists several nodes), a command for a node that is not
            // connected fails at once instead of waiting in the client's backlog. When a master dies, the backlog
            // would hold every command for its slots until the command timeout, which trips RedisAvailability's
            // stall breaker: the whole process would skip Redis for another StallBreak after the replica took over.
            // Failing fast costs only the commands of those few seconds, each taking its degraded path, while the
            // client learns the new master. With one node there is no other node to learn, and the default backlog
            // is kept: with FailFast, replicas were measured still answering 503 five seconds after a restarted
            // single Redis (or Garnet) answered again, past FaultTests' recovery bound.
            if (IsCluster(builder.Configuration))
            {
                options.BacklogPolicy = BacklogPolicy.FailFast;
            }
        });
        builder.Services.AddSingleton<RedisAvailability>();
        builder.Services.AddHostedService<RedisConnectionWarmup>();
        return builder;
    }

    private static bool IsCluster(IConfiguration configuration) =>
        configuration.GetConnectionString(ConnectionName) is { Length: > 0 } connectionString
        && ConfigurationOptions.Parse(connectionString).EndPoints.Count > 1;

    /// <summary>The process-wide multiplexer, for the options callbacks of Redis-backed libraries.</summary>
    public static IConnectionMultiplexer GetShopRedis(this IServiceProvider services) =>
        services.GetRequiredService<IConnectionMultiplexer>();

    /// <summary>
    /// Creates the multiplexer at start-up rather than inside the first request. Otherwise the first burst after a
    /// deploy waits on the synchronous connect, starves the thread pool, times out against Redis and is served
    /// degraded (limits counted per replica, cache misses): exactly when it matters most.
    /// </summary>
    private sealed class RedisConnectionWarmup(IServiceProvider services) : IHostedService
    {
        // AbortOnConnectFail=false: with Redis down this returns after the connect timeout and the multiplexer
        // keeps retrying in the background.
        public Task StartAsync(CancellationToken cancellationToken)
        {
            services.GetRequiredService<IConnectionMultiplexer>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
