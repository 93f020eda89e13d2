using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// Wraps the Redis output-cache store so that Redis trouble degrades the cache instead of the catalog:
/// a failed or skipped read is a miss (the request is served from SQLite), a failed write or eviction is
/// logged and skipped. While the multiplexer knows it is disconnected we do not even try, so a Redis
/// outage costs nothing per request instead of a 2 s timeout per request.
/// Trade-off: an eviction that fails (or is skipped) can leave a stale entry behind once Redis is back;
/// it lives at most <see cref="CatalogCacheNames.EntryLifetime"/>. That is why the failure is a Warning.
/// </summary>
internal sealed partial class ResilientOutputCacheStore(
    IOutputCacheStore inner,
    IConnectionMultiplexer redis,
    CatalogCacheMetrics metrics,
    ILogger<ResilientOutputCacheStore> logger) : IOutputCacheBufferStore, IDisposable
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            Missed(null);
            return null;
        }
        try
        {
            var value = await inner.GetAsync(key, cancellationToken);
            Count(value is not null);
            return value;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Missed(ex);
            return null;
        }
    }

    public async ValueTask<bool> TryGetAsync(string key, PipeWriter destination, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            Missed(null);
            return false;
        }
        try
        {
            var found = inner is IOutputCacheBufferStore buffered
                ? await buffered.TryGetAsync(key, destination, cancellationToken)
                : await CopyAsync(await inner.GetAsync(key, cancellationToken), destination, cancellationToken);
            Count(found);
            return found;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Missed(ex);
            return false;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            Skipped("set", null);
            return;
        }
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Skipped("set", ex);
        }
    }

    public async ValueTask SetAsync(string key, ReadOnlySequence<byte> value, ReadOnlyMemory<string> tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
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
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Skipped("set", ex);
        }
    }

    public async ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken)
    {
        if (!redis.IsConnected)
        {
            metrics.Failure("evict");
            LogEvictionSkipped(logger, tag, null);
            return;
        }
        try
        {
            await inner.EvictByTagAsync(tag, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.Failure("evict");
            LogEvictionSkipped(logger, tag, ex);
        }
    }

    // The inner store is created by us, not by the container, so its sweep loop is ours to stop.
    public void Dispose() => (inner as IDisposable)?.Dispose();

    private void Count(bool hit)
    {
        if (hit)
        {
            metrics.Hit();
        }
        else
        {
            metrics.Miss();
        }
    }

    private void Missed(Exception? exception)
    {
        metrics.Miss();
        Skipped("get", exception);
    }

    private void Skipped(string operation, Exception? exception)
    {
        metrics.Failure(operation);
        LogOperationSkipped(logger, operation, exception?.GetType().Name ?? "disconnected", exception);
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
