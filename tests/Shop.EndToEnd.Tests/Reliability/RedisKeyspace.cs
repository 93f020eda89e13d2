using StackExchange.Redis;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>
/// Every key in Redis with a fingerprint of its content, so a test can prove that a batch of requests
/// wrote nothing. TTLs are not compared (reads legitimately slide a cart's expiry).
/// </summary>
public sealed class RedisKeyspace
{
    private readonly SortedDictionary<string, string> _keys;

    private RedisKeyspace(SortedDictionary<string, string> keys) => _keys = keys;

    /// <summary>
    /// Families a request may legitimately touch without it being a write the shopper asked for:
    /// <c>rl:*</c> limiter counters, and <c>shop:oc:*</c> output-cache entries that a (valid, normalized)
    /// catalog read stores.
    /// </summary>
    public static bool IsSideEffect(string key) =>
        key.StartsWith("rl:", StringComparison.Ordinal) || key.StartsWith("shop:oc:", StringComparison.Ordinal);

    public static async Task<RedisKeyspace> CaptureAsync(IConnectionMultiplexer redis)
    {
        var db = redis.GetDatabase();
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await foreach (var key in redis.KeysEverywhereAsync())
        {
            var name = key.ToString();
            if (!IsSideEffect(name))
            {
                keys[name] = await FingerprintAsync(db, key);
            }
        }
        return new RedisKeyspace(keys);
    }

    /// <summary>"+key", "-key" and "~key" lines for keys added, removed or changed since <paramref name="before"/>.</summary>
    public IReadOnlyList<string> DifferencesFrom(RedisKeyspace before)
    {
        var differences = new List<string>();
        foreach (var (key, value) in _keys)
        {
            if (!before._keys.TryGetValue(key, out var old))
            {
                differences.Add($"+{key} = {Shorten(value)}");
            }
            else if (old != value)
            {
                differences.Add($"~{key}: {Shorten(old)} → {Shorten(value)}");
            }
        }
        differences.AddRange(before._keys.Keys.Where(k => !_keys.ContainsKey(k)).Select(k => $"-{k}"));
        return differences;
    }

    private static async Task<string> FingerprintAsync(IDatabase db, RedisKey key)
    {
        var name = key.ToString();
        switch (await db.KeyTypeAsync(key))
        {
            case RedisType.String:
                return "string:" + await db.StringGetAsync(key);
            case RedisType.Hash:
                var fields = await db.HashGetAllAsync(key);
                // A sign-in index's values carry lastSeenAt, which reading a page may refresh: compare its members only.
                return name.EndsWith(":sessions", StringComparison.Ordinal)
                    ? "hash-fields:" + string.Join(",", fields.Select(f => f.Name.ToString()).Order(StringComparer.Ordinal))
                    : "hash:" + string.Join(",", fields.Select(f => $"{f.Name}={f.Value}").Order(StringComparer.Ordinal));
            case RedisType.Set:
                return "set:" + string.Join(",", (await db.SetMembersAsync(key)).Select(v => v.ToString()).Order(StringComparer.Ordinal));
            case RedisType.List:
                return "list:" + string.Join(",", await db.ListRangeAsync(key));
            case RedisType.SortedSet:
                return "zset:" + string.Join(",", (await db.SortedSetRangeByRankWithScoresAsync(key)).Select(e => $"{e.Element}:{e.Score}"));
            case RedisType.None:
                return "(expired)";
            default:
                return "other";
        }
    }

    private static string Shorten(string value) => value.Length <= 120 ? value : value[..120] + "…";
}
