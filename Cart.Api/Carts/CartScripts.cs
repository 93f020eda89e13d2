namespace Shop.Cart.Api;

/// <summary>
/// The cart's Lua scripts. Two browser tabs, or two cart-api replicas, may change the same cart at the same
/// moment; a read-modify-write in C# would lose one of the changes. Redis runs each script as one atomic
/// step, so the quantity cap, the line limit and the TTL refresh are decided on the state the write sees.
/// Every write script answers <c>{accepted, HGETALL}</c>, so the response shows the cart right after the write
/// without a second round trip.
/// </summary>
internal static class CartScripts
{
    /// <summary>KEYS[1] cart; ARGV ttlMs. Reading a cart keeps it alive (sliding expiry).</summary>
    public const string Read = """
        local lines = redis.call('HGETALL', KEYS[1])
        if #lines > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return lines
        """;

    /// <summary>KEYS[1] cart; ARGV productId, quantity, ttlMs, maxQuantity, maxLines.</summary>
    public const string Add = """
        local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
        if current == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[5]) then
          return {0, redis.call('HGETALL', KEYS[1])}
        end
        redis.call('HSET', KEYS[1], ARGV[1], math.min(current + tonumber(ARGV[2]), tonumber(ARGV[4])))
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {1, redis.call('HGETALL', KEYS[1])}
        """;

    /// <summary>KEYS[1] cart; ARGV productId, quantity (0 removes the line), ttlMs, maxLines.</summary>
    public const string Set = """
        if tonumber(ARGV[2]) == 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
        else
          if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then
            return {0, redis.call('HGETALL', KEYS[1])}
          end
          redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return {1, redis.call('HGETALL', KEYS[1])}
        """;

    /// <summary>
    /// The first step of a merge, on the target cart's slot: KEYS[1] target, KEYS[2] merge marker; ARGV ttlMs,
    /// maxQuantity, maxLines, markerTtlMs, fingerprint of the source's lines, then productId/quantity pairs read
    /// from the source. All or nothing: a merge that would exceed the line limit changes nothing (0), so the shopper's
    /// anonymous cart is never half-lost. A marker holding the same fingerprint means this very merge was applied
    /// already and only its second step failed, so it adds nothing again (2).
    /// (The source cart lives in another slot on a Redis Cluster, so it cannot be read or deleted here.)
    /// </summary>
    public const string MergeInto = """
        if redis.call('GET', KEYS[2]) == ARGV[5] then
          return {2, redis.call('HGETALL', KEYS[1])}
        end
        local added = 0
        for i = 6, #ARGV, 2 do
          if redis.call('HEXISTS', KEYS[1], ARGV[i]) == 0 then added = added + 1 end
        end
        if redis.call('HLEN', KEYS[1]) + added > tonumber(ARGV[3]) then
          return {0, redis.call('HGETALL', KEYS[1])}
        end
        for i = 6, #ARGV, 2 do
          local current = tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0')
          redis.call('HSET', KEYS[1], ARGV[i], math.min(current + tonumber(ARGV[i + 1]), tonumber(ARGV[2])))
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4])
        return {1, redis.call('HGETALL', KEYS[1])}
        """;

    /// <summary>
    /// The second step of a merge, on the source cart's slot: KEYS[1] source; ARGV productId/quantity pairs merged.
    /// Takes out only what was merged, so a line another tab added meanwhile is not lost with the rest.
    /// </summary>
    public const string TakeOut = """
        for i = 1, #ARGV, 2 do
          if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
            redis.call('HDEL', KEYS[1], ARGV[i])
          end
        end
        return redis.call('HLEN', KEYS[1])
        """;
}
