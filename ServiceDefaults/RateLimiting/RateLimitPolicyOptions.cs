using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

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
/// One policy's limits, bound from <c>RateLimiting:Policies:{policy}</c> over the defaults the service
/// passes in code, so tests and operators change limits without a rebuild and every replica gets the same.
/// </summary>
public abstract class RateLimitPolicyOptions
{
    public RedisFailureMode OnRedisFailure { get; set; } = RedisFailureMode.FallBackToLocal;

    /// <summary>The number reported in <c>X-RateLimit-Limit</c>.</summary>
    internal abstract int Limit { get; }

    internal abstract string? Validate();

    /// <summary>The library's Redis-backed limiter for one (policy-prefixed) partition key.</summary>
    internal abstract RateLimitPartition<string> RedisPartition(string key, Func<IConnectionMultiplexer> redis);

    /// <summary>An in-process limiter of the same shape, used only while Redis is unreachable.</summary>
    internal abstract RateLimiter CreateLocalLimiter();

    /// <summary>
    /// Whole seconds after which a rejected client will be admitted again (if nobody else takes the permit),
    /// from what the rejected lease reports or, where it reports nothing, the policy's own period.
    /// </summary>
    internal abstract int RetryAfterSeconds(RateLimitLease rejected);

    internal abstract void CopyFrom(RateLimitPolicyOptions defaults);

    private protected static int CeilingSeconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    /// <summary>What an in-process limiter (used during a Redis outage) reports, if anything.</summary>
    private protected static int? LocalRetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? CeilingSeconds(retryAfter) : null;
}
