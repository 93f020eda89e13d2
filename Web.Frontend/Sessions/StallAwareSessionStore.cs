using Microsoft.Extensions.Caching.Distributed;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// The session's Redis cache, refusing at once while Redis is down or stalled a moment ago (<see cref="RedisAvailability"/>)
/// instead of waiting out a command timeout on every request; its failures trip the breaker for the other
/// touchpoints. The session then fails as it does when Redis is down: the cart says "temporarily unavailable" (503)
/// and the badge goes missing, within the budget of one command timeout rather than several.
/// <para>It also drops the session middleware's second refresh. At the end of every request that did not change the
/// session, the middleware refreshes its entry to slide the idle timeout; but the Redis cache already slid it when the
/// request read the session (a read is HMGET + EXPIRE), so that refresh was two more round trips for nothing: half of
/// a session page's session cost, and of its time inside Redis under load (bench). A refresh is still sent for a
/// request that carried the cookie without reading the session.</para>
/// </summary>
public sealed class StallAwareSessionStore(IDistributedCache inner, RedisAvailability availability, IHttpContextAccessor requests) : IDistributedCache
{
    public byte[]? Get(string key) => Call(() => Read(key, inner.Get(key)));

    public Task<byte[]?> GetAsync(string key, CancellationToken token = default) => CallAsync(async () => Read(key, await inner.GetAsync(key, token)));

    public void Refresh(string key)
    {
        if (!ReadInThisRequest(key))
        {
            Call(() => { inner.Refresh(key); return true; });
        }
    }

    public Task RefreshAsync(string key, CancellationToken token = default) =>
        ReadInThisRequest(key) ? Task.CompletedTask : CallAsync(async () => { await inner.RefreshAsync(key, token); return true; });

    public void Remove(string key) => Call(() => { inner.Remove(key); return true; });

    public Task RemoveAsync(string key, CancellationToken token = default) => CallAsync(async () => { await inner.RemoveAsync(key, token); return true; });

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options) => Call(() => { inner.Set(key, value, options); return true; });

    public Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default) =>
        CallAsync(async () => { await inner.SetAsync(key, value, options, token); return true; });

    private byte[]? Read(string key, byte[]? value)
    {
        if (requests.HttpContext is { } request)
        {
            request.Items[(typeof(StallAwareSessionStore), key)] = true;
        }
        return value;
    }

    private bool ReadInThisRequest(string key) => requests.HttpContext?.Items.ContainsKey((typeof(StallAwareSessionStore), key)) == true;

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
