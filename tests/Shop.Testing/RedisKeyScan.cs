using StackExchange.Redis;

namespace Shop.Testing;

/// <summary>
/// Key scans that see the whole keyspace on a single Redis and on a Redis Cluster alike: a cluster spreads the keys
/// over its masters, so a scan of one server would see a third of them and an audit would pass for the wrong reason.
/// </summary>
public static class RedisKeyScan
{
    /// <summary>Every key matching <paramref name="pattern"/>, from every master (replicas only hold copies).</summary>
    public static async IAsyncEnumerable<RedisKey> KeysEverywhereAsync(this IConnectionMultiplexer redis, string pattern = "*")
    {
        var masters = redis.GetServers().Where(server => server.IsConnected && !server.IsReplica).ToList();
        if (masters.Count == 0)
        {
            throw new InvalidOperationException("No Redis master is connected: the scan would see nothing.");
        }
        foreach (var server in masters)
        {
            await foreach (var key in server.KeysAsync(pattern: pattern, pageSize: 500))
            {
                yield return key;
            }
        }
    }
}
