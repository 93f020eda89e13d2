using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>Why a request was refused.</summary>
public enum RateLimitRejectionReason
{
    /// <summary>The partition used up its limit (429).</summary>
    Limit,

    /// <summary>Redis was unreachable and the policy fails closed (503).</summary>
    RedisUnavailable,
}

/// <summary>
/// Everything a rejection page or ProblemDetails needs to tell the client what happened and when to retry.
/// Also stored in <c>HttpContext.Features</c>, so a status-code page can render it.
/// </summary>
public sealed record RateLimitRejection(string Policy, RateLimitRejectionReason Reason, int RetryAfterSeconds, int Limit)
{
    /// <summary>How long a fail-closed policy asks clients to wait while Redis is unreachable.</summary>
    public const int RedisUnavailableRetryAfterSeconds = 5;

    internal static readonly MetadataName<RateLimitRejection> MetadataName = new("SHOP_RATELIMIT_REJECTION");

    public int StatusCode => Reason == RateLimitRejectionReason.Limit
        ? StatusCodes.Status429TooManyRequests
        : StatusCodes.Status503ServiceUnavailable;

    /// <summary>The <c>reason</c> tag of <c>shop.ratelimit.rejections</c>.</summary>
    public string ReasonTag => Reason == RateLimitRejectionReason.Limit ? "limit" : "redis-unavailable";
}
