using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// How a policy is counted, and what happens when Redis fails. Every partition is counted in Redis under
/// <c>{policy}:{partition}</c>, so a limit of N is N across all replicas; if Redis fails, the policy's
/// <see cref="RedisFailureMode"/> decides: count in this process for a while, or refuse with 503. The framework
/// caches the limiter per key, so this runs per request but builds a limiter only for a key it has not seen lately.
/// </summary>
internal sealed class RateLimitCounting(
    IServiceProvider services, IOptionsMonitor<ShopRateLimitingOptions> settings,
    IOptionsMonitor<RateLimitPolicyOptions> numbers, ILoggerFactory loggerFactory, RateLimitingBaseline baseline)
{
    private readonly ConcurrentDictionary<string, RedisOutage> _outages = new(StringComparer.Ordinal);
    private readonly Lazy<IConnectionMultiplexer> _redis = new(services.GetRequiredService<IConnectionMultiplexer>);
    private readonly Lazy<RedisAvailability> _availability = new(services.GetRequiredService<RedisAvailability>);

    public RateLimitPartition<string> For(RateLimitPolicy policy, HttpContext context) =>
        policy.PartitionBy?.Invoke(context) is { } partition ? For(policy, partition) : RateLimitPartition.GetNoLimiter("");

    /// <summary>The partition for a value computed elsewhere (by the endpoint policy or by hand).</summary>
    public RateLimitPartition<string> For(RateLimitPolicy policy, string partition)
    {
        if (!settings.CurrentValue.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }
        var options = numbers.Get(policy.Name);
        return RateLimitPartition.Get(RateLimitPartitions.Key(policy.Name, partition), key =>
        {
            // DEMONSTRATION only (Baseline:InMemoryRateLimiter): no Redis at all, the in-process limiter ASP.NET Core
            // offers out of the box. Each replica then counts on its own, so N replicas admit up to N times the limit;
            // the benchmark measures exactly that. Rejections still carry the policy, so the 429 looks the same.
            if (baseline.InMemory)
            {
                return new RedisFallbackRateLimiter(redis: null, policy, options, () => false, outage: null, availability: null);
            }
            var redis = _redis.Value;
            var outage = _outages.GetOrAdd(policy.Name, name => new RedisOutage(name, loggerFactory.CreateLogger("Shop.RateLimiting")));
            return new RedisFallbackRateLimiter(policy.CreateRedisLimiter(key, options, redis), policy, options,
                () => redis.IsConnected, outage, _availability.Value);
        });
    }
}

/// <summary>Whether the DEMONSTRATION switch <c>Baseline:InMemoryRateLimiter</c> is on (see <see cref="RateLimitCounting.For(RateLimitPolicy, string)"/>).</summary>
internal sealed record RateLimitingBaseline(bool InMemory);

/// <summary>
/// Wraps one partition's Redis limiter. Without it a Redis error inside the library escapes the rate limiter
/// middleware as a 500 on every limited endpoint, so a cache outage becomes a site outage. Here a Redis
/// failure leads to the policy's <see cref="RedisFailureMode"/>; <see cref="RedisOutage"/> decides when to try
/// Redis again, so limits become shared again by themselves once Redis is back. Without a Redis limiter (the
/// per-replica baseline) it only ever counts locally.
/// </summary>
internal sealed class RedisFallbackRateLimiter(
    RateLimiter? redis, RateLimitPolicy policy, RateLimitPolicyOptions options, Func<bool> redisConnected, RedisOutage? outage,
    RedisAvailability? availability)
    : RateLimiter
{
    // Refusing the synchronous attempt makes the middleware await AcquireAsync instead: the library's
    // synchronous path either refuses anyway or blocks a thread-pool thread on a Redis round trip.
    private static readonly RateLimitLease NotSynchronously = new RejectedLease(rejection: null, inner: null);

    private readonly Lock _localGate = new();
    private RateLimiter? _local;
    private long _lastUsed = Stopwatch.GetTimestamp();

    // The library's limiters report zero idle time forever, so the partitioned limiter never drops them and a
    // replica keeps one object per IP/user it has ever seen. The count lives in Redis, so a partition unused
    // for a while can be dropped and recreated at no cost, unless it holds local fallback counts.
    public override TimeSpan? IdleDuration =>
        _local is { IdleDuration: null } ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => _local?.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotSynchronously;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        if (redis is null || outage is null)
        {
            return await LocalAsync(permitCount, cancellationToken);
        }
        Exception? failure = null;
        // A Redis that stalled a moment ago (for any touchpoint of this process) is skipped like one that is down.
        if (!outage.ShouldSkipRedis(redisConnected()) && availability?.Stalled != true)
        {
            try
            {
                var lease = await redis.AcquireAsync(permitCount, cancellationToken);
                outage.Succeeded();
                return lease.IsAcquired ? lease : Rejected(RateLimitRejectionReason.Limit, lease);
            }
            // (A cancellation the request did not ask for is the client dropping its connection under the command.)
            catch (Exception exception) when (exception is RedisException or RedisTimeoutException or ObjectDisposedException
                || ((RedisAvailability.IsOutage(exception) || exception is OperationCanceledException) && !cancellationToken.IsCancellationRequested))
            {
                failure = exception;
                availability?.Failed(exception);
            }
        }

        outage.Failed(policy.OnRedisFailure, failure);
        if (policy.OnRedisFailure == RedisFailureMode.FailClosed)
        {
            return new RejectedLease(new RateLimitRejection(policy.Name, RateLimitRejectionReason.RedisUnavailable,
                RateLimitRejection.RedisUnavailableRetryAfterSeconds, policy.Limit(options)), inner: null);
        }
        return await LocalAsync(permitCount, cancellationToken);
    }

    private async ValueTask<RateLimitLease> LocalAsync(int permitCount, CancellationToken cancellationToken)
    {
        var local = await LocalLimiter().AcquireAsync(permitCount, cancellationToken);
        return local.IsAcquired ? local : Rejected(RateLimitRejectionReason.Limit, local);
    }

    private RejectedLease Rejected(RateLimitRejectionReason reason, RateLimitLease lease) =>
        new(new RateLimitRejection(policy.Name, reason, policy.RetryAfterSeconds(lease, options), policy.Limit(options)), lease);

    private RateLimiter LocalLimiter()
    {
        if (Volatile.Read(ref _local) is { } existing)
        {
            return existing;
        }
        lock (_localGate)
        {
            return _local ??= policy.CreateLocalLimiter(options);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            redis?.Dispose();
            _local?.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        if (redis is not null)
        {
            await redis.DisposeAsync();
        }
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }
}

/// <summary>
/// A policy's view of Redis health, shared by all its partitions. After a failure, while the multiplexer still
/// reports no connection, requests skip Redis for a few seconds instead of each waiting for the command
/// timeout; one request per interval probes again, and a reconnect ends the outage at once. Logs once when an
/// outage starts, then at most every 30 seconds with a count, and once when Redis answers again: during an
/// outage every request fails the same way, and a line per request would bury the one message an operator needs.
/// </summary>
internal sealed partial class RedisOutage(string policy, ILogger logger)
{
    private static readonly TimeSpan SkipRedisFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private bool _inOutage;
    private long _lastFailure;
    private long _lastLogged;
    private int _suppressed;

    /// <summary>
    /// True while a recent failure says Redis is down and the multiplexer has not reconnected. Before the first
    /// failure this is false even when not (yet) connected, so requests that arrive while the multiplexer is
    /// still connecting wait for it rather than being counted locally.
    /// </summary>
    public bool ShouldSkipRedis(bool redisConnected) =>
        !redisConnected
        && Volatile.Read(ref _inOutage)
        && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastFailure)) < SkipRedisFor;

    public void Failed(RedisFailureMode mode, Exception? exception)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (exception is not null)
            {
                _lastFailure = now;
            }
            if (_inOutage && Stopwatch.GetElapsedTime(_lastLogged, now) < LogInterval)
            {
                _suppressed++;
                return;
            }
            LogUnavailable(logger, exception, policy, mode, _suppressed);
            (_inOutage, _lastLogged, _suppressed) = (true, now, 0);
        }
    }

    public void Succeeded()
    {
        if (!Volatile.Read(ref _inOutage))
        {
            return;
        }
        lock (_gate)
        {
            if (_inOutage)
            {
                LogRecovered(logger, policy);
                (_inOutage, _suppressed) = (false, 0);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning,
        "Rate-limit policy '{Policy}' cannot reach Redis; applying {Mode} ({Suppressed} failures not logged since the last message).")]
    private static partial void LogUnavailable(ILogger logger, Exception? exception, string policy, RedisFailureMode mode, int suppressed);

    [LoggerMessage(2, LogLevel.Information, "Rate-limit policy '{Policy}' reaches Redis again; limits are shared across replicas again.")]
    private static partial void LogRecovered(ILogger logger, string policy);
}
