namespace Shop.Cart.Api;

internal static class CheckoutScripts
{
    /// <summary>
    /// Commits a checkout in one atomic step: KEYS[1] cart, KEYS[2] order, KEYS[3] the reservation's marker, KEYS[4]
    /// idempotency claim (optional), all in the cart's hash slot (<see cref="CartKeys"/>); ARGV orderJson, orderTtlMs,
    /// cartTtlMs, claimValue, claimTtlMs, claimToken, then productId/quantity pairs.
    /// The cart must still hold at least what was reserved: if another tab or a second checkout changed it
    /// meanwhile, nothing is written (0) and the caller releases the stock. Only the ordered quantities are
    /// taken out of the cart, so an item added by another tab during checkout stays in it. A claim that is no
    /// longer ours (expired and taken over) also aborts (-1), so one key never yields two orders. The order is stored
    /// only if this script deletes the reservation's marker: if the sweep took it first (-2), its stock is being
    /// released and no order may claim it.
    /// </summary>
    public const string Commit = """
        for i = 7, #ARGV, 2 do
          if tonumber(redis.call('HGET', KEYS[1], ARGV[i]) or '0') < tonumber(ARGV[i + 1]) then return 0 end
        end
        if #KEYS == 4 and redis.call('GET', KEYS[4]) ~= ARGV[6] then return -1 end
        if redis.call('DEL', KEYS[3]) == 0 then return -2 end
        redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
        for i = 7, #ARGV, 2 do
          if redis.call('HINCRBY', KEYS[1], ARGV[i], -tonumber(ARGV[i + 1])) <= 0 then
            redis.call('HDEL', KEYS[1], ARGV[i])
          end
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        if #KEYS == 4 then redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5]) end
        return 1
        """;

    /// <summary>KEYS[1] claim; ARGV token. Deletes the claim only if it is still ours.</summary>
    public const string ReleaseClaim = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;
}
