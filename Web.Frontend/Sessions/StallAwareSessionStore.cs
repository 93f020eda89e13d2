using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// The session's Redis cache, refusing at once while Redis is down or stalled a moment ago (<see cref="RedisAvailability"/>)
/// instead of waiting out a command timeout on every request; its failures trip the breaker for the other
/// touchpoints. The session then fails as it does when Redis is down: the cart says "temporarily unavailable" (503)
/// and the badge goes missing, within the budget of one command timeout rather than several.
/// </summary>
public sealed class StallAwareSessionStore(IDistributedCache inner, RedisAvailability availability) : IDistributedCache
{
    public byte[]? Get(string key) => Call(() => inner.Get(key));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => CallAsync(() => inner.GetAsync(key, token));

    public void Refresh(string key) => Call(() => { inner.Refresh(key); return true; });

    public Task RefreshAsync(string key, CancellationToken token = default) => CallAsync(async () => { await inner.RefreshAsync(key, token); return true; });

    public void Remove(string key) => Call(() => { inner.Remove(key); return true; });

    public Task RemoveAsync(string key, CancellationToken token = default) => CallAsync(async () => { await inner.RemoveAsync(key, token); return true; });

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Call(() => { inner.Set(key, value, options); return true; });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        CallAsync(async () => { await inner.SetAsync(key, value, options, token); return true; });

    private T Call<T>(Func<T> call)
    {
        ThrowIfUnavailable();
        try
        {
            return call();
        }
        catch (Exception ex) when (RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            throw;
        }
    }

    private async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        ThrowIfUnavailable();
        try
        {
            return await call();
        }
        catch (Exception ex) when (RedisAvailability.IsOutage(ex))
        {
            availability.Failed(ex);
            throw;
        }
    }

    private void ThrowIfUnavailable()
    {
        if (availability.Stalled)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not answering; the session is unavailable for a moment.");
        }
    }
}
