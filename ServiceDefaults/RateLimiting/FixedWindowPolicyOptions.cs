using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>At most <see cref="PermitLimit"/> requests per <see cref="Window"/>, counted from the first request.</summary>
public sealed class FixedWindowPolicyOptions : WindowPolicyOptions
{
    internal override RateLimitPartition<string> RedisPartition(string key, Func<IConnectionMultiplexer> redis) =>
        RedisRateLimitPartition.GetFixedWindowRateLimiter(key, _ => new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = PermitLimit,
            Window = Window,
            ConnectionMultiplexerFactory = redis,
        });

    internal override RateLimiter CreateLocalLimiter() => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
    {
        PermitLimit = PermitLimit,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    // The library keeps the window in whole Unix seconds and reopens it only once the clock's second is
    // past the stored expiry, so its own RATELIMIT_RETRYAFTER (expiry minus the current whole second) can be
    // up to one second early. One more second makes Retry-After a promise rather than a guess.
    internal override int RetryAfterSeconds(RateLimitLease rejected) =>
        rejected.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds)
            ? Math.Max(1, seconds + 1)
            : LocalRetryAfter(rejected) ?? CeilingSeconds(Window) + 1;
}
