using System.Threading.RateLimiting;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Bursts of up to <see cref="TokenLimit"/> requests, refilled by <see cref="TokensPerPeriod"/> every
/// <see cref="ReplenishmentPeriod"/>: suits writes that come in short bursts (a shopper filling a cart).
/// </summary>
public sealed class TokenBucketPolicyOptions : RateLimitPolicyOptions
{
    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; }

    internal override int Limit => TokenLimit;

    internal override string? Validate() =>
        TokenLimit <= 0 ? nameof(TokenLimit)
        : TokensPerPeriod <= 0 ? nameof(TokensPerPeriod)
        : ReplenishmentPeriod < TimeSpan.FromSeconds(1) ? nameof(ReplenishmentPeriod)
        : null;

    internal override RateLimitPartition<string> RedisPartition(string key, Func<IConnectionMultiplexer> redis) =>
        RedisRateLimitPartition.GetTokenBucketRateLimiter(key, _ => new RedisTokenBucketRateLimiterOptions
        {
            TokenLimit = TokenLimit,
            TokensPerPeriod = TokensPerPeriod,
            ReplenishmentPeriod = ReplenishmentPeriod,
            ConnectionMultiplexerFactory = redis,
        });

    internal override RateLimiter CreateLocalLimiter() => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
    {
        TokenLimit = TokenLimit,
        TokensPerPeriod = TokensPerPeriod,
        ReplenishmentPeriod = ReplenishmentPeriod,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    // The library reports when the next refill is due in its own RATELIMIT_RETRYAFTER, as whole seconds
    // rounded from milliseconds (2.4 s may read as 2). One more second keeps Retry-After from ever being
    // early; without the metadata (local fallback), the next refill is at most one period away.
    internal override int RetryAfterSeconds(RateLimitLease rejected) =>
        rejected.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds)
            ? Math.Max(1, seconds + 1)
            : LocalRetryAfter(rejected) ?? CeilingSeconds(ReplenishmentPeriod);

    internal override void CopyFrom(RateLimitPolicyOptions defaults)
    {
        var source = (TokenBucketPolicyOptions)defaults;
        (TokenLimit, TokensPerPeriod, ReplenishmentPeriod, OnRedisFailure) =
            (source.TokenLimit, source.TokensPerPeriod, source.ReplenishmentPeriod, source.OnRedisFailure);
    }
}
