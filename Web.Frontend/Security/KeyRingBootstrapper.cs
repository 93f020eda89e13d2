using Microsoft.AspNetCore.DataProtection.KeyManagement;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Security;

/// <summary>
/// Makes sure the shared key ring has a usable key before this replica serves a request.
/// Without it, three replicas starting together on an empty ring each create their own first key and, until
/// they next refresh the ring, reject each other's cookies and antiforgery tokens (dotnet/aspnetcore#52678).
/// The first key is created by whoever holds <c>shop:dp-keys:lock</c>; the others wait and re-read.
/// Runs in <see cref="StartingAsync"/>, before every hosted service's StartAsync, so it also beats the
/// Data Protection hosted service, which would otherwise create a key on its own.
/// </summary>
public sealed class KeyRingBootstrapper(
    IKeyManager keyManager, IConnectionMultiplexer redis, TimeProvider time, ILogger<KeyRingBootstrapper> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan LockTime = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan KeyLifetime = TimeSpan.FromDays(90);

    /// <summary>Compare-and-delete, so a replica never releases a lock that expired and was taken by another.</summary>
    private const string ReleaseScript =
        "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end";

    public async Task StartingAsync(CancellationToken cancellationToken) => await EnsureKeyAsync(cancellationToken);

    /// <summary>Returns true when this call created the key.</summary>
    public async Task<bool> EnsureKeyAsync(CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        var owner = Guid.NewGuid().ToString("N");
        var deadline = time.GetUtcNow().AddMinutes(2);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (HasUsableKey())
                {
                    return false;
                }
                if (await db.StringSetAsync(FrontendRedisKeys.DataProtectionLock, owner, LockTime, When.NotExists))
                {
                    try
                    {
                        // Re-read under the lock: another replica may have created the key while we waited.
                        if (HasUsableKey())
                        {
                            return false;
                        }
                        var now = time.GetUtcNow();
                        keyManager.CreateNewKey(activationDate: now, expirationDate: now + KeyLifetime);
                        logger.LogInformation("Created the first Data Protection key of the shared ring.");
                        return true;
                    }
                    finally
                    {
                        await db.ScriptEvaluateAsync(ReleaseScript, [FrontendRedisKeys.DataProtectionLock], [owner]);
                    }
                }
            }
            // Whatever failed, until the deadline: not only a RedisException. A Redis too busy to answer within the command
            // timeout at start-up (with a 1 s timeout, a Garnet compiling its first script under load) fails the ring's
            // synchronous reads with a RedisTimeoutException (a TimeoutException), a TaskCanceledException, or the
            // pipe's "Reading is not allowed after reader was completed" as the client drops the connection. Caught
            // narrowly, each of them killed this replica before it served a page, and the shop never became healthy.
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && time.GetUtcNow() < deadline)
            {
                logger.LogWarning(ex, "The key ring could not be checked yet (Redis not answering in time?); retrying.");
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancellationToken);
        }
    }

    private bool HasUsableKey()
    {
        var now = time.GetUtcNow();
        return keyManager.GetAllKeys().Any(key => !key.IsRevoked && key.ActivationDate <= now && key.ExpirationDate > now);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
