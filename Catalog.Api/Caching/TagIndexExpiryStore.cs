using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// The Redis store keeps its tag index (one sorted set per tag, plus the set of tags) without a TTL and
/// relies on a sweep every five minutes. Shop's rule is that every key expires on its own, so that a
/// keyspace scan can prove nothing leaks: after each store, the index keys of the entry's tags get a TTL
/// at least as long as the entry's. The TTL is only ever extended, never shortened (another service may
/// share the tag set of all tags with longer-lived entries). Fire-and-forget: it is sent on the same
/// connection right after the store's own fire-and-forget ZADDs, so Redis applies it after them.
/// </summary>
internal sealed class TagIndexExpiryStore(IOutputCacheStore inner, IConnectionMultiplexer redis) : IOutputCacheBufferStore, IDisposable
{
    private const string ExtendTtlScript = """
        for _, key in ipairs(KEYS) do
            local ttl = redis.call('PTTL', key)
            if ttl == -1 or (ttl >= 0 and ttl < tonumber(ARGV[1])) then
                redis.call('PEXPIRE', key, ARGV[1])
            end
        end
        """;

    // Slack so the index outlives the last entry it points to.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);

    public ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) => inner.GetAsync(key, cancellationToken);

    public ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken) =>
        ((IOutputCacheBufferStore)inner).TryGetAsync(key, destination, cancellationToken);

    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => inner.EvictByTagAsync(tag, cancellationToken);

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        await ExtendTagIndexAsync(tags ?? [], validFor);
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        await ((IOutputCacheBufferStore)inner).SetAsync(key, value, tags, validFor, cancellationToken);
        await ExtendTagIndexAsync(tags.ToArray(), validFor);
    }

    public void Dispose() => (inner as IDisposable)?.Dispose();

    private Task ExtendTagIndexAsync(string[] tags, TimeSpan validFor)
    {
        if (tags.Length == 0)
        {
            return Task.CompletedTask;
        }
        var keys = new RedisKey[tags.Length + 1];
        for (var i = 0; i < tags.Length; i++)
        {
            keys[i] = CatalogCacheNames.TagIndexKey(tags[i]);
        }
        keys[^1] = CatalogCacheNames.TagMasterKey;
        var ttl = (long)(validFor + Margin).TotalMilliseconds;
        return redis.GetDatabase().ScriptEvaluateAsync(ExtendTtlScript, keys, [ttl], CommandFlags.FireAndForget);
    }
}
