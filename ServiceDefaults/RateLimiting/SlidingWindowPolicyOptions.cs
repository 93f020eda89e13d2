using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>At most <see cref="PermitLimit"/> requests in any <see cref="Window"/>-long stretch of time.</summary>
public sealed class SlidingWindowPolicyOptions : WindowPolicyOptions
{
    internal override RateLimitPartition<string> RedisPartition(string key, Func<IConnectionMultiplexer> redis) =>
        RedisRateLimitPartition.GetSlidingWindowRateLimiter(key, _ => new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = PermitLimit,
            Window = Window,
            ConnectionMultiplexerFactory = redis,
        });

    internal override RateLimiter CreateLocalLimiter() => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
    {
        PermitLimit = PermitLimit,
        Window = Window,
        SegmentsPerWindow = 4,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    // The library's sliding window reports no retry time, and the oldest request in the window is not
    // exposed. One whole window is the bound we can promise: by then every request counted now has slid
    // out, so the client is never told to come back too early (it may be told up to a window too late).
    internal override int RetryAfterSeconds(RateLimitLease rejected) => CeilingSeconds(Window);
}
