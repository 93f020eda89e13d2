using StackExchange.Redis;

namespace Shop.Web.Frontend;

/// <summary>
/// Every Redis key the storefront writes, in one place (the key table is in docs/architecture.md).
/// Each family has a TTL except the Data Protection ring, which must outlive every cookie it protects.
/// </summary>
public static class FrontendRedisKeys
{
    /// <summary>Prefix of the ASP.NET Core session entries (<c>shop:session:{key}</c>, sliding idle TTL).</summary>
    public const string SessionInstanceName = "shop:session:";

    /// <summary>The Data Protection key ring (a list of XML keys, no TTL: losing it signs everyone out).</summary>
    public static readonly RedisKey DataProtectionKeys = "shop:dp-keys";

    /// <summary>Held for a few seconds by the replica creating the first key of an empty ring.</summary>
    public static readonly RedisKey DataProtectionLock = "shop:dp-keys:lock";

    /// <summary>One sign-in ticket (protected bytes); TTL = the ticket's expiry.</summary>
    public static RedisKey AuthTicket(string ticketId) => $"shop:auth:{ticketId}";

    /// <summary>Hash ticketId → device JSON of a user's sign-ins; TTL = the longest ticket expiry.</summary>
    public static RedisKey UserSessions(string userId) => $"shop:user:{userId}:sessions";
}
