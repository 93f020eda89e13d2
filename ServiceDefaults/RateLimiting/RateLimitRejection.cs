using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RedisRateLimiting.AspNetCore;

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

/// <summary>
/// The one answer of every Shop service to a refused request: counts it, sets the status (429, or 503 when a
/// fail-closed policy cannot reach Redis), <c>Retry-After</c> and <c>X-RateLimit-*</c>, then lets the service's
/// own writer render the body (the storefront's HTML page) or writes a ProblemDetails.
/// </summary>
internal static class RateLimitRejectionResponse
{
    public static async ValueTask WriteAsync(
        OnRejectedContext context, Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>>? customWriter,
        CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var rejection = RejectionOf(context.Lease);
        Apply(http, rejection);
        if (customWriter is not null && await customWriter(http, rejection, cancellationToken))
        {
            return;
        }

        var (title, detail) = rejection.Reason == RateLimitRejectionReason.Limit
            ? ("Too many requests",
               $"The '{rejection.Policy}' limit of {rejection.Limit} was reached. Try again in {rejection.RetryAfterSeconds} seconds.")
            : ("Temporarily unavailable",
               $"'{rejection.Policy}' is temporarily unavailable. Try again in {rejection.RetryAfterSeconds} seconds.");
        await TypedResults.Problem(detail, statusCode: rejection.StatusCode, title: title, extensions:
            new Dictionary<string, object?> { ["policy"] = rejection.Policy, ["retryAfter"] = rejection.RetryAfterSeconds })
            .ExecuteAsync(http);
    }

    /// <summary>Counts the rejection and sets everything but the body.</summary>
    public static void Apply(HttpContext http, RateLimitRejection rejection)
    {
        http.RequestServices.GetRequiredService<RateLimitingMetrics>().Rejected(rejection);
        http.Features.Set(rejection);

        var response = http.Response;
        response.StatusCode = rejection.StatusCode;
        var retryAfter = rejection.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers[RateLimitHeaders.RetryAfter] = retryAfter;
        if (rejection.Reason == RateLimitRejectionReason.Limit)
        {
            response.Headers[RateLimitHeaders.Limit] = rejection.Limit.ToString(CultureInfo.InvariantCulture);
            response.Headers[RateLimitHeaders.Remaining] = "0";
            response.Headers[RateLimitHeaders.Reset] = retryAfter;
        }
    }

    public static RateLimitRejection RejectionOf(RateLimitLease lease)
    {
        if (lease.TryGetMetadata(RateLimitRejection.MetadataName, out var rejection) && rejection is not null)
        {
            return rejection;
        }
        // A limiter that is not one of ours (a policy added with plain AddPolicy): say what it reports.
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 1;
        return new RateLimitRejection("other", RateLimitRejectionReason.Limit, seconds, 0);
    }
}

/// <summary>
/// A refused lease that carries the <see cref="RateLimitRejection"/>, so one OnRejected callback can answer
/// every policy correctly whichever limiter (Redis or local) refused. Without a rejection it is a plain "no".
/// </summary>
internal sealed class RejectedLease(RateLimitRejection? rejection, RateLimitLease? inner) : RateLimitLease
{
    private static readonly string[] Names = [RateLimitRejection.MetadataName.Name, MetadataName.RetryAfter.Name];

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => rejection is null ? [] : Names;

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = rejection is null ? null
            : metadataName == RateLimitRejection.MetadataName.Name ? rejection
            : metadataName == MetadataName.RetryAfter.Name ? TimeSpan.FromSeconds(rejection.RetryAfterSeconds)
            : null;
        return metadata is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner?.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// Rejections by policy and reason. The framework's own meter counts rejections per endpoint but cannot tell
/// "the shopper was too fast" from "Redis was down and sign-in failed closed"; this counter can.
/// </summary>
public sealed class RateLimitingMetrics
{
    public const string RejectionsInstrument = "shop.ratelimit.rejections";

    private readonly Counter<long> _rejections;

    public RateLimitingMetrics(IMeterFactory meterFactory) =>
        _rejections = meterFactory.Create(ShopMeters.RateLimiting).CreateCounter<long>(RejectionsInstrument, unit: "{request}",
            description: "Requests refused by a Shop rate-limit policy, by policy and reason (limit, redis-unavailable).");

    internal void Rejected(RateLimitRejection rejection) =>
        _rejections.Add(1,
            new KeyValuePair<string, object?>("policy", rejection.Policy),
            new KeyValuePair<string, object?>("reason", rejection.ReasonTag));
}
