using System.Buffers;
using System.Diagnostics.Metrics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.OutputCaching;

/// <summary>
/// The Redis output-cache store as Shop needs it: Redis trouble degrades the cache instead of the service, and
/// every key it writes expires.
/// <list type="bullet">
/// <item>A failed or skipped read is a miss (the request is served from the origin); a failed write or eviction
/// is logged and skipped. While the multiplexer knows it is disconnected, or Redis stalled a moment ago
/// (<see cref="RedisAvailability"/>), it does not even try, so an outage costs nothing per request instead of a
/// command timeout per request. Trade-off: an eviction that fails can leave a
/// stale entry once Redis is back; it lives at most one entry lifetime, which is why that failure is a Warning.</item>
/// <item>The library keeps its tag index (one sorted set per tag, plus the set of tags) without a TTL and relies
/// on a sweep every five minutes. Shop's rule is that every key expires on its own, so that a keyspace scan can
/// prove nothing leaks: after each store, the index keys of the entry's tags get a TTL at least as long as the
/// entry's, only ever extended (another entry may share the tag with a longer life). One key per script, so
/// each step stays inside one hash slot on a Redis Cluster. Fire-and-forget, sent on the same connection right
/// after the store's own fire-and-forget ZADDs, so Redis applies it after them.</item>
/// <item>Hits and misses are counted (<see cref="OutputCacheMetrics"/>) here, at the store, so a hit on one
/// replica of an entry another replica made shows as a hit.</item>
/// </list>
/// </summary>
internal sealed partial class ResilientOutputCacheStore(
    IOutputCacheStore inner, IConnectionMultiplexer redis, RedisAvailability availability, OutputCacheMetrics metrics,
    ILogger<ResilientOutputCacheStore> logger)
    : IOutputCacheBufferStore, IDisposable
{
    private const string ExtendTtlScript = """
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl == -1 or (ttl >= 0 and ttl < tonumber(ARGV[1])) then
            redis.call('PEXPIRE', KEYS[1], ARGV[1])
        end
        """;

    // Slack so the index outlives the last entry it points to.
    private static readonly TimeSpan IndexMargin = TimeSpan.FromMinutes(1);

    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!availability.Available)
        {
            Missed(null);
            return null;
        }
        try
        {
            var value = await inner.GetAsync(key, cancellationToken);
            metrics.Lookup(hit: value is not null);
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            Missed(ex);
            return null;
        }
    }

    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        if (!availability.Available)
        {
            Missed(null);
            return false;
        }
        try
        {
            var found = inner is IOutputCacheBufferStore buffered
                ? await buffered.TryGetAsync(key, destination, cancellationToken)
                : await CopyAsync(await inner.GetAsync(key, cancellationToken), destination, cancellationToken);
            metrics.Lookup(hit: found);
            return found;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            Missed(ex);
            return false;
        }
    }

    public ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken) =>
        SetAsync(key, new ReadOnlySequence<byte>(value), tags ?? [], validFor, cancellationToken);

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (!availability.Available)
        {
            Skipped("set", null);
            return;
        }
        try
        {
            if (inner is IOutputCacheBufferStore buffered)
            {
                await buffered.SetAsync(key, value, tags, validFor, cancellationToken);
            }
            else
            {
                await inner.SetAsync(key, value.ToArray(), tags.ToArray(), validFor, cancellationToken);
            }
            ExtendTagIndex(tags.Span, validFor);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            Skipped("set", ex);
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        if (!availability.Available)
        {
            metrics.Failure("evict");
            LogEvictionSkipped(logger, tag, null);
            return;
        }
        try
        {
            await inner.EvictByTagAsync(tag, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            metrics.Failure("evict");
            LogEvictionSkipped(logger, tag, ex);
        }
    }

    // The inner store is created by us, not by the container, so its sweep loop is ours to stop.
    public void Dispose() => (inner as IDisposable)?.Dispose();

    private void ExtendTagIndex(ReadOnlySpan<string> tags, TimeSpan validFor)
    {
        if (tags.IsEmpty)
        {
            return;
        }
        var database = redis.GetDatabase();
        RedisValue[] ttl = [(long)(validFor + IndexMargin).TotalMilliseconds];
        foreach (var tag in tags)
        {
            database.ScriptEvaluate(ExtendTtlScript, [ShopOutputCache.TagIndexKey(tag)], ttl, CommandFlags.FireAndForget);
        }
        database.ScriptEvaluate(ExtendTtlScript, [ShopOutputCache.TagMasterKey], ttl, CommandFlags.FireAndForget);
    }

    private void Missed(Exception? exception)
    {
        metrics.Lookup(hit: false);
        Skipped("get", exception);
    }

    private void Skipped(string operation, Exception? exception)
    {
        metrics.Failure(operation);
        LogOperationSkipped(logger, operation, exception?.GetType().Name ?? "unavailable", exception);
    }

    private static async ValueTask<bool> CopyAsync(byte[]? value, PipeWriter destination, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return false;
        }
        await destination.WriteAsync(value, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Output cache {Operation} skipped, Redis unavailable ({Reason}); serving from origin.")]
    private static partial void LogOperationSkipped(ILogger logger, string operation, string reason, Exception? exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output cache eviction of tag {Tag} failed; entries may stay stale until they expire.")]
    private static partial void LogEvictionSkipped(ILogger logger, string tag, Exception? exception);
}

/// <summary>
/// Output-cache lookups and failures as the dashboard shows them (meter <c>Shop.OutputCache</c>), per service:
/// the share of hits is what the shared cache is worth, the failures are what Redis trouble cost.
/// </summary>
public sealed class OutputCacheMetrics
{
    public const string LookupsInstrument = "shop.output_cache.lookups";
    public const string FailuresInstrument = "shop.output_cache.failures";

    private readonly Counter<long> _lookups;
    private readonly Counter<long> _failures;

    public OutputCacheMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ShopMeters.OutputCache);
        _lookups = meter.CreateCounter<long>(LookupsInstrument, unit: "{lookup}",
            description: "Output-cache lookups in Redis, by result (hit or miss).");
        _failures = meter.CreateCounter<long>(FailuresInstrument, unit: "{failure}",
            description: "Output-cache operations skipped because Redis failed, by operation (get, set, evict).");
    }

    public void Lookup(bool hit) => _lookups.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public void Failure(string operation) => _failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
