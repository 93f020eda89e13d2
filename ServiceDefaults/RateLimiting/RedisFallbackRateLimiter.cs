using System.Diagnostics;
using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Wraps one partition's Redis limiter. Without it a Redis error inside the library escapes the rate
/// limiter middleware as a 500 on every limited endpoint, so a cache outage becomes a site outage. Here a
/// Redis failure leads to the policy's <see cref="RedisFailureMode"/>; <see cref="RedisOutage"/> decides
/// when to try Redis again, so limits become shared again by themselves once Redis is back.
/// </summary>
internal sealed class RedisFallbackRateLimiter : RateLimiter
{
    // Refusing the synchronous attempt makes the middleware await AcquireAsync instead: the library's
    // synchronous path either refuses anyway or blocks a thread-pool thread on a Redis round trip.
    private static readonly RateLimitLease NotSynchronously = new NotAttemptedLease();

    private readonly RateLimiter _redis;
    private readonly RateLimitPolicyOptions _options;
    private readonly string _policy;
    private readonly Func<bool> _redisConnected;
    private readonly RedisOutage _outage;
    private readonly Lock _localGate = new();
    private RateLimiter? _local;
    private long _lastUsed = Stopwatch.GetTimestamp();

    public RedisFallbackRateLimiter(
        RateLimiter redis, RateLimitPolicyOptions options, string policy, Func<bool> redisConnected, RedisOutage outage)
    {
        (_redis, _options, _policy, _redisConnected, _outage) = (redis, options, policy, redisConnected, outage);
    }

    // The library's limiters report zero idle time forever, so the partitioned limiter never drops them and
    // a replica keeps one object per IP/user it has ever seen. The count lives in Redis, so a partition
    // unused for a while can be dropped and recreated at no cost, unless it holds local fallback counts.
    public override TimeSpan? IdleDuration =>
        _local is { IdleDuration: null } ? null : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastUsed));

    public override RateLimiterStatistics? GetStatistics() => _local?.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => NotSynchronously;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
        Exception? failure = null;
        if (!_outage.ShouldSkipRedis(_redisConnected()))
        {
            try
            {
                var lease = await _redis.AcquireAsync(permitCount, cancellationToken);
                _outage.Succeeded();
                return lease.IsAcquired ? lease : Rejected(RateLimitRejectionReason.Limit, lease);
            }
            catch (Exception exception) when (IsRedisFailure(exception))
            {
                failure = exception;
            }
        }

        _outage.Failed(_options.OnRedisFailure, failure);
        if (_options.OnRedisFailure == RedisFailureMode.FailClosed)
        {
            return new RejectedLease(new RateLimitRejection(_policy, RateLimitRejectionReason.RedisUnavailable,
                RateLimitRejection.RedisUnavailableRetryAfterSeconds, _options.Limit), inner: null);
        }

        var local = await LocalLimiter().AcquireAsync(permitCount, cancellationToken);
        return local.IsAcquired ? local : Rejected(RateLimitRejectionReason.Limit, local);
    }

    internal static bool IsRedisFailure(Exception exception) =>
        exception is RedisException or RedisTimeoutException or ObjectDisposedException;

    private RejectedLease Rejected(RateLimitRejectionReason reason, RateLimitLease lease) =>
        new(new RateLimitRejection(_policy, reason, _options.RetryAfterSeconds(lease), _options.Limit), lease);

    private RateLimiter LocalLimiter()
    {
        if (Volatile.Read(ref _local) is { } existing)
        {
            return existing;
        }
        lock (_localGate)
        {
            return _local ??= _options.CreateLocalLimiter();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _redis.Dispose();
            _local?.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await _redis.DisposeAsync();
        if (_local is not null)
        {
            await _local.DisposeAsync();
        }
    }

    private sealed class NotAttemptedLease : RateLimitLease
    {
        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
