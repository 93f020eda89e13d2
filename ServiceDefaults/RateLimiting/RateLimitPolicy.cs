using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using RedisRateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>How a policy counts. The choice is part of the design (a bucket suits bursts of cart writes), so it is code.</summary>
public enum RateLimitAlgorithm
{
    /// <summary>At most <c>PermitLimit</c> requests per <c>Window</c>, counted from the first request.</summary>
    FixedWindow,

    /// <summary>At most <c>PermitLimit</c> requests in any <c>Window</c>-long stretch of time.</summary>
    SlidingWindow,

    /// <summary>Bursts of up to <c>TokenLimit</c>, refilled by <c>TokensPerPeriod</c> every <c>ReplenishmentPeriod</c>.</summary>
    TokenBucket,
}

/// <summary>What a policy does while its replica cannot reach Redis.</summary>
public enum RedisFailureMode
{
    /// <summary>
    /// Count in this process instead. Approximate on purpose: with N replicas a shopper may get up to N times
    /// the limit during the outage, which beats turning every page into an error.
    /// </summary>
    FallBackToLocal,

    /// <summary>
    /// Refuse with 503 (reason <c>redis-unavailable</c>). For limits that protect something, like sign-in
    /// brute-force protection, where a per-replica count would multiply an attacker's budget.
    /// </summary>
    FailClosed,
}

/// <summary>
/// A policy's numbers, bound from <c>RateLimiting:Policies:{policy}</c> and nowhere else: the services'
/// appsettings.json hold the defaults, the AppHost's own <c>RateLimiting</c> section overrides them on every
/// replica alike. The algorithm decides which of them must be set.
/// </summary>
public sealed class RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; }
}

/// <summary>
/// One declared policy: its name (also part of every Redis key it writes), algorithm, partition and outage
/// behaviour, with everything that depends on the algorithm in one switch each.
/// </summary>
internal sealed record RateLimitPolicy(
    string Name, RateLimitAlgorithm Algorithm, Func<HttpContext, string?>? PartitionBy, RedisFailureMode OnRedisFailure)
{
    private static readonly TimeSpan OneSecond = TimeSpan.FromSeconds(1);

    /// <summary>The configuration a policy cannot run without, as the start-up error states it.</summary>
    public string Requirement => Algorithm == RateLimitAlgorithm.TokenBucket
        ? "TokenLimit >= 1, TokensPerPeriod >= 1 and ReplenishmentPeriod >= 00:00:01"
        : "PermitLimit >= 1 and Window >= 00:00:01";

    public bool IsValid(RateLimitPolicyOptions o) => Algorithm == RateLimitAlgorithm.TokenBucket
        ? o.TokenLimit >= 1 && o.TokensPerPeriod >= 1 && o.ReplenishmentPeriod >= OneSecond
        : o.PermitLimit >= 1 && o.Window >= OneSecond;

    /// <summary>The number reported in <c>X-RateLimit-Limit</c>.</summary>
    public int Limit(RateLimitPolicyOptions o) => Algorithm == RateLimitAlgorithm.TokenBucket ? o.TokenLimit : o.PermitLimit;

    /// <summary>RedisRateLimiting's limiter for one policy-prefixed partition key: one Lua script per acquire.</summary>
    public RateLimiter CreateRedisLimiter(string key, RateLimitPolicyOptions o, IConnectionMultiplexer redis) => Algorithm switch
    {
        RateLimitAlgorithm.FixedWindow => new RedisFixedWindowRateLimiter<string>(key, new RedisFixedWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, ConnectionMultiplexerFactory = () => redis,
        }),
        RateLimitAlgorithm.SlidingWindow => new RedisSlidingWindowRateLimiter<string>(key, new RedisSlidingWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, ConnectionMultiplexerFactory = () => redis,
        }),
        _ => new RedisTokenBucketRateLimiter<string>(key, new RedisTokenBucketRateLimiterOptions
        {
            TokenLimit = o.TokenLimit, TokensPerPeriod = o.TokensPerPeriod, ReplenishmentPeriod = o.ReplenishmentPeriod,
            ConnectionMultiplexerFactory = () => redis,
        }),
    };

    /// <summary>ASP.NET Core's in-process limiter of the same shape: the outage fallback and the per-replica baseline.</summary>
    public RateLimiter CreateLocalLimiter(RateLimitPolicyOptions o) => Algorithm switch
    {
        RateLimitAlgorithm.FixedWindow => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, QueueLimit = 0, AutoReplenishment = true,
        }),
        RateLimitAlgorithm.SlidingWindow => new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions
        {
            PermitLimit = o.PermitLimit, Window = o.Window, SegmentsPerWindow = 4, QueueLimit = 0, AutoReplenishment = true,
        }),
        _ => new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = o.TokenLimit, TokensPerPeriod = o.TokensPerPeriod, ReplenishmentPeriod = o.ReplenishmentPeriod,
            QueueLimit = 0, AutoReplenishment = true,
        }),
    };

    /// <summary>
    /// Whole seconds after which a rejected client is admitted again (if nobody else takes the permit): never
    /// early, which is what makes Retry-After a promise rather than a guess.
    /// </summary>
    public int RetryAfterSeconds(RateLimitLease rejected, RateLimitPolicyOptions o)
    {
        // The library's fixed window and token bucket report RATELIMIT_RETRYAFTER in whole seconds, rounded
        // (the window is kept in whole Unix seconds and reopens only once the clock's second passes the stored
        // expiry; a 2.4 s refill may read 2): one more second keeps the answer from ever being early.
        if (rejected.TryGetMetadata(RateLimitMetadataName.RetryAfter, out var seconds))
        {
            return Math.Max(1, seconds + 1);
        }
        // The in-process limiters (during an outage) say how long, as a TimeSpan.
        if (rejected.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            return CeilingSeconds(retryAfter);
        }
        // The library's sliding window reports nothing, and the oldest request in the window is not exposed:
        // one whole window is the bound we can promise (every request counted now has slid out by then).
        return Algorithm switch
        {
            RateLimitAlgorithm.FixedWindow => CeilingSeconds(o.Window) + 1,
            RateLimitAlgorithm.SlidingWindow => CeilingSeconds(o.Window),
            _ => CeilingSeconds(o.ReplenishmentPeriod),
        };
    }

    private static int CeilingSeconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));
}

/// <summary>The <c>RateLimiting</c> section. Per-policy numbers live under <c>RateLimiting:Policies:{policy}</c>.</summary>
public sealed class ShopRateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>
    /// False turns every policy into "no limit" while keeping the endpoints' <c>RequireRateLimiting</c> valid:
    /// for measuring the limiter's cost (on against off) and for emergencies.
    /// </summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Declares a service's policies, once each. A policy is named, counted by an algorithm in Redis, and applies
/// only to endpoints that ask for it with <c>RequireRateLimiting(name)</c>. A <c>partitionBy</c> that returns
/// null leaves that request unlimited by the policy (a GET of a page whose POSTs are limited). A policy
/// declared without <c>partitionBy</c> is checked by hand through <see cref="ShopRateLimiter"/>, for a second
/// partition of one request that an endpoint policy cannot express (sign-in per account as well as per client).
/// </summary>
public sealed class ShopRateLimitingBuilder
{
    internal Dictionary<string, RateLimitPolicy> Policies { get; } = new(StringComparer.Ordinal);

    internal Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>>? RejectionWriter { get; private set; }

    public ShopRateLimitingBuilder Add(string policy, RateLimitAlgorithm algorithm, Func<HttpContext, string?>? partitionBy = null,
        RedisFailureMode onRedisFailure = RedisFailureMode.FallBackToLocal)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        if (!Policies.TryAdd(policy, new RateLimitPolicy(policy, algorithm, partitionBy, onRedisFailure)))
        {
            throw new InvalidOperationException($"Rate-limit policy '{policy}' is declared twice.");
        }
        return this;
    }

    /// <summary>
    /// Lets the service write its own rejection response (the storefront's friendly HTML page that keeps the
    /// form). Status code and <c>Retry-After</c>/<c>X-RateLimit-*</c> headers are already set when the writer
    /// runs; return false to fall back to the ProblemDetails body (e.g. for API or non-HTML requests).
    /// </summary>
    public ShopRateLimitingBuilder WriteRejectionsWith(Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>> writer)
    {
        RejectionWriter = writer;
        return this;
    }
}
