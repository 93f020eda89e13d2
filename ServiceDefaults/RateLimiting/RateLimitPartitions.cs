using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Partition values for the <c>partitionBy</c> of a policy, and the Redis key each becomes. Pure functions of
/// the request, so they are unit-tested without Redis. Values that are secrets are never used raw:
/// limiter keys are visible to anyone who can list Redis keys, so the caller hands in a session's hashed id.
/// </summary>
public static class RateLimitPartitions
{
    /// <summary>Every limiter key, for the reset command's SCAN.</summary>
    public const string KeyPattern = "rl:*";

    /// <summary>
    /// The partition key handed to RedisRateLimiting 1.2.1, which writes <c>rl:fw:{key}</c> (+ <c>:exp</c>),
    /// <c>rl:sw:{key}</c> (+ <c>:stats</c>) or <c>rl:tb:{key}</c> (+ <c>:ts</c>), each with a TTL of about one
    /// window. The library puts no policy name in the key, so two policies partitioned by the same value (say
    /// browse and cart-write, both by user) would share one counter: Shop prefixes the policy.
    /// </summary>
    public static string Key(string policy, string partition) => $"{policy}:{partition}";

    /// <summary>
    /// The shopper: <c>user:{id}</c> when signed in (the same budget on every device and replica), else
    /// <c>session:{id}</c> of a session the server itself issued (<paramref name="recognisedSession"/>: the caller
    /// decides what it recognises, never the raw cookie, or every invented value would be a fresh budget), else
    /// <c>ip:{address}</c>. A client can still drop its cookie to count as its address instead, which is why abuse
    /// protection (sign-in) partitions by account and address, and why the gateway caps every address; the
    /// forwarded-headers middleware of the service decides what <see cref="ConnectionInfo.RemoteIpAddress"/> is.
    /// </summary>
    public static string Shopper(HttpContext context, string? recognisedSession) =>
        UserId(context.User) is { } userId ? "user:" + userId
        : recognisedSession is { Length: > 0 } session ? "session:" + session
        : ClientIp(context);

    /// <summary>
    /// <c>ip:{address}</c>; an IPv6 client counts by its /64 network, since one host usually owns a whole
    /// /64 and could otherwise rotate addresses to escape any limit.
    /// </summary>
    public static string ClientIp(HttpContext context) => "ip:" + Normalize(context.Connection.RemoteIpAddress);

    /// <summary><c>caller:{subject}</c> of the service token the request was authenticated with, or null without one.</summary>
    public static string? TokenSubject(HttpContext context) =>
        context.User.FindFirst("sub")?.Value is { Length: > 0 } subject ? "caller:" + subject : null;

    /// <summary><c>account:{name}</c>, case-insensitive, for brute-force limits per account name.</summary>
    public static string Account(string accountName) => "account:" + accountName.Trim().ToLowerInvariant();

    private static string? UserId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
        && (user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.Identity.Name) is { Length: > 0 } id
            ? id
            : null;

    private static string Normalize(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, 8, 8);
            return new IPAddress(bytes).ToString() + "/64";
        }
        return address.ToString();
    }
}
