using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Caching.Memory;
using Shop.Web.Frontend.Clients;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Authentication;

/// <summary>
/// The cookie holds only a ticket id; the ticket lives in Redis (<c>shop:auth:{ticketId}</c>), protected with
/// Data Protection, with a TTL equal to its expiry. Every request reads it from Redis, with no in-process
/// cache in front, so deleting the key (sign-out, revoke) makes the cookie anonymous on every replica on
/// its very next request. A per-user hash (<c>shop:user:{userId}:sessions</c>) lists the user's sign-ins.
/// </summary>
public sealed class RedisTicketStore(
    IConnectionMultiplexer redis, RedisAvailability availability, IDataProtectionProvider dataProtection, IMemoryCache throttle,
    TimeProvider time, ILogger<RedisTicketStore> logger) : ITicketStore
{
    public const string ProtectorPurpose = "Shop.Authentication.Ticket.v1";

    /// <summary>HttpContext.Items key holding the current request's ticket id (to mark "this device").</summary>
    public const string TicketIdItem = "shop.auth.ticketId";

    /// <summary>Set when the ticket could not be read because Redis failed (the request then runs anonymous).</summary>
    public const string UnavailableItem = "shop.auth.unavailable";

    private static readonly TimeSpan LastSeenInterval = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromHours(8);

    // Updates lastSeenAt of an index entry that still exists (never resurrects a revoked one).
    private const string TouchScript = """
        local v = redis.call('HGET', KEYS[1], ARGV[1])
        if not v then return 0 end
        local o = cjson.decode(v)
        o['lastSeenAt'] = ARGV[2]
        redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(o))
        return 1
        """;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(ProtectorPurpose);
    private IDatabase Db => redis.GetDatabase();

    public Task<string> StoreAsync(AuthenticationTicket ticket) => StoreAsync(ticket, null!, CancellationToken.None);

    public Task<string> StoreAsync(AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        StoreAsync(ticket, null!, cancellationToken);

    public async Task<string> StoreAsync(AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var ticketId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var ttl = TimeToLive(ticket);
        var userId = ticket.Principal.GetUserId() ?? throw new InvalidOperationException("A ticket without a user id.");
        var now = time.GetUtcNow();
        var device = new DeviceInfo(
            UserAgent: Truncate(httpContext?.Request.Headers.UserAgent.ToString(), 200),
            Ip: httpContext?.Connection.RemoteIpAddress?.ToString() ?? "",
            CreatedAt: now,
            LastSeenAt: now);

        var index = FrontendRedisKeys.UserSessions(userId);
        var batch = Db.CreateBatch();
        var writes = new List<Task>
        {
            batch.StringSetAsync(FrontendRedisKeys.AuthTicket(ticketId), Protect(ticket), ttl),
            batch.HashSetAsync(index, ticketId, JsonSerializer.Serialize(device, StorefrontJsonContext.Default.DeviceInfo)),
            // The index lives as long as the longest ticket in it: NX sets a first TTL, GT only ever extends it.
            batch.KeyExpireAsync(index, ttl, ExpireWhen.HasNoExpiry),
            batch.KeyExpireAsync(index, ttl, ExpireWhen.GreaterThanCurrentExpiry),
        };
        batch.Execute();
        await Task.WhenAll(writes);

        if (httpContext is not null)
        {
            httpContext.Items[TicketIdItem] = ticketId;
        }
        return ticketId;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewAsync(key, ticket, null!, CancellationToken.None);

    public Task RenewAsync(string key, AuthenticationTicket ticket, CancellationToken cancellationToken) =>
        RenewAsync(key, ticket, null!, cancellationToken);

    public async Task RenewAsync(string key, AuthenticationTicket ticket, HttpContext httpContext, CancellationToken cancellationToken)
    {
        // The sliding renewal can wait for the next request: the ticket in Redis is still valid for hours.
        if (!availability.Available)
        {
            return;
        }
        var ttl = TimeToLive(ticket);
        // XX: a ticket revoked between this request's read and its sliding renewal stays revoked.
        if (await Db.StringSetAsync(FrontendRedisKeys.AuthTicket(key), Protect(ticket), ttl, When.Exists)
            && ticket.Principal.GetUserId() is { } userId)
        {
            await Db.KeyExpireAsync(FrontendRedisKeys.UserSessions(userId), ttl, ExpireWhen.GreaterThanCurrentExpiry);
        }
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveAsync(key, null!, CancellationToken.None);

    public Task<AuthenticationTicket?> RetrieveAsync(string key, CancellationToken cancellationToken) =>
        RetrieveAsync(key, null!, cancellationToken);

    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        RedisValue value;
        try
        {
            // Down, or stalled a moment ago: do not wait out a command timeout on every request.
            value = availability.Available
                ? await Db.StringGetAsync(FrontendRedisKeys.AuthTicket(key))
                : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is not answering.");
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or OperationCanceledException || RedisAvailability.IsOutage(ex))
        {
            // (A command queued while Redis is unreachable fails with RedisTimeoutException, not a RedisException;
            // a stall can surface as a cancellation, and one that escaped here was a 500 from the error page itself.)
            // Fail closed but keep browsing alive: while Redis is down the shopper is anonymous (the cookie is
            // kept, so they are signed in again once Redis is back); pages that need the user show the 503 page.
            availability.Failed(ex);
            logger.LogWarning(ex, "The sign-in ticket store is unavailable; treating the request as anonymous.");
            if (httpContext is not null)
            {
                httpContext.Items[UnavailableItem] = true;
            }
            return null;
        }
        if (value.IsNull || Unprotect(value) is not { } ticket)
        {
            return null;
        }
        if (httpContext is not null)
        {
            httpContext.Items[TicketIdItem] = key;
        }
        if (ticket.Principal.GetUserId() is { } userId)
        {
            TouchLastSeen(userId, key);
        }
        return ticket;
    }

    public Task RemoveAsync(string key) => RemoveAsync(key, null!, CancellationToken.None);

    public Task RemoveAsync(string key, CancellationToken cancellationToken) => RemoveAsync(key, null!, cancellationToken);

    public async Task RemoveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        var value = await Db.StringGetAsync(FrontendRedisKeys.AuthTicket(key));
        var userId = (value.IsNull ? null : Unprotect(value))?.Principal.GetUserId() ?? httpContext?.User.GetUserId();
        await Db.KeyDeleteAsync(FrontendRedisKeys.AuthTicket(key));
        if (userId is not null)
        {
            await Db.HashDeleteAsync(FrontendRedisKeys.UserSessions(userId), key);
        }
    }

    /// <summary>The user's live sign-ins; index entries whose ticket has expired or was deleted are pruned.</summary>
    public async Task<IReadOnlyList<ActiveSession>> ListSessionsAsync(string userId)
    {
        var index = FrontendRedisKeys.UserSessions(userId);
        var entries = await Db.HashGetAllAsync(index);
        var alive = await Task.WhenAll(entries.Select(e => Db.KeyExistsAsync(FrontendRedisKeys.AuthTicket(e.Name!))));
        var sessions = new List<ActiveSession>();
        for (var i = 0; i < entries.Length; i++)
        {
            if (!alive[i])
            {
                await Db.HashDeleteAsync(index, entries[i].Name);
                continue;
            }
            if (JsonSerializer.Deserialize(entries[i].Value.ToString(), StorefrontJsonContext.Default.DeviceInfo) is { } device)
            {
                sessions.Add(new ActiveSession(entries[i].Name!, device));
            }
        }
        return [.. sessions.OrderByDescending(s => s.Device.LastSeenAt)];
    }

    /// <summary>Deletes one of the user's tickets; false when the ticket is not theirs (nothing is deleted).</summary>
    public async Task<bool> RevokeAsync(string userId, string ticketId)
    {
        var index = FrontendRedisKeys.UserSessions(userId);
        if (!await Db.HashExistsAsync(index, ticketId))
        {
            return false;
        }
        await Db.KeyDeleteAsync(FrontendRedisKeys.AuthTicket(ticketId));
        await Db.HashDeleteAsync(index, ticketId);
        return true;
    }

    /// <summary>Deletes every ticket of the user except <paramref name="keepTicketId"/>; returns how many.</summary>
    public async Task<int> RevokeOthersAsync(string userId, string keepTicketId)
    {
        var index = FrontendRedisKeys.UserSessions(userId);
        var revoked = 0;
        foreach (var ticketId in await Db.HashKeysAsync(index))
        {
            if (ticketId != keepTicketId)
            {
                await Db.KeyDeleteAsync(FrontendRedisKeys.AuthTicket(ticketId.ToString()));
                await Db.HashDeleteAsync(index, ticketId);
                revoked++;
            }
        }
        return revoked;
    }

    /// <summary>
    /// At most one lastSeen write per ticket per minute from this replica. The throttle holds no
    /// authorization state (the ticket itself is always read from Redis), only "wrote recently".
    /// </summary>
    private void TouchLastSeen(string userId, string ticketId)
    {
        if (throttle.TryGetValue(("lastSeen", ticketId), out _))
        {
            return;
        }
        throttle.Set(("lastSeen", ticketId), true, LastSeenInterval);
        _ = Db.ScriptEvaluateAsync(TouchScript, [FrontendRedisKeys.UserSessions(userId)],
            [ticketId, time.GetUtcNow().ToString("O")], CommandFlags.FireAndForget);
    }

    private TimeSpan TimeToLive(AuthenticationTicket ticket)
    {
        var expires = ticket.Properties.ExpiresUtc ?? time.GetUtcNow() + FallbackLifetime;
        var ttl = expires - time.GetUtcNow();
        return ttl > TimeSpan.FromSeconds(1) ? ttl : TimeSpan.FromSeconds(1);
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private AuthenticationTicket? Unprotect(RedisValue value)
    {
        try
        {
            return TicketSerializer.Default.Deserialize(_protector.Unprotect((byte[])value!));
        }
        catch (CryptographicException ex)
        {
            logger.LogWarning(ex, "A stored sign-in ticket could not be unprotected; treating it as absent.");
            return null;
        }
    }

    private static string Truncate(string? value, int max) =>
        string.IsNullOrEmpty(value) ? "" : value.Length <= max ? value : value[..max];
}
