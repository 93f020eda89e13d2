namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// The rate limiter's Redis keys. RedisRateLimiting 1.2.1 writes <c>rl:fw:{key}</c> (+ <c>:exp</c>),
/// <c>rl:sw:{key}</c> (+ <c>:stats</c>) and <c>rl:tb:{key}</c> (+ <c>:ts</c>), each with a TTL of about one
/// window, where key is the partition key it is given. That key does not include the policy name, so two
/// policies partitioned by the same value (say browse and cart-write, both by user) would share one counter;
/// Shop therefore hands it <c>{policy}:{partition}</c>.
/// </summary>
public static class RateLimitKeys
{
    /// <summary>Every limiter key, for the reset command's SCAN.</summary>
    public const string Pattern = "rl:*";

    public static string Partition(string policy, string partition) => $"{policy}:{partition}";
}
