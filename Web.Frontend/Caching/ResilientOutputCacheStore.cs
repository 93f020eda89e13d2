using Microsoft.AspNetCore.OutputCaching;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Caching;

/// <summary>
/// A cache that degrades instead of failing: with Redis down, a lookup is a miss and a write is skipped,
/// so images (and the catalog browsing around them) keep working from the origin.
/// </summary>
public sealed class ResilientOutputCacheStore(IOutputCacheStore inner, ILogger<ResilientOutputCacheStore> logger)
    : IOutputCacheStore, IAsyncDisposable
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await inner.GetAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Output cache lookup failed; serving from the origin.");
            return null;
        }
    }

    public async ValueTask SetAsync(string key, byte[] value, string[]? tags, TimeSpan validFor, CancellationToken cancellationToken)
    {
        try
        {
            await inner.SetAsync(key, value, tags, validFor, cancellationToken);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Output cache write failed; the response was served uncached.");
        }
    }

    // Eviction failures are not swallowed: a caller evicting must know the old entry may still be served.
    public ValueTask EvictByTagAsync(string tag, CancellationToken cancellationToken) => inner.EvictByTagAsync(tag, cancellationToken);

    // Stops the Redis store's background garbage collection with the host.
    public ValueTask DisposeAsync() => inner is IAsyncDisposable d ? d.DisposeAsync()
        : inner is IDisposable s ? DisposeSync(s) : ValueTask.CompletedTask;

    private static ValueTask DisposeSync(IDisposable disposable)
    {
        disposable.Dispose();
        return ValueTask.CompletedTask;
    }
}
