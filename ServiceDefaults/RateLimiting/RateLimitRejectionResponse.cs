using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using RedisRateLimiting.AspNetCore;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// The one OnRejected of every Shop service: counts the rejection, sets the status (429, or 503 when a
/// fail-closed policy cannot reach Redis), <c>Retry-After</c> and <c>X-RateLimit-*</c>, then lets the
/// service's own writer render the body (the storefront's HTML page) or writes a ProblemDetails.
/// </summary>
internal static class RateLimitRejectionResponse
{
    public static async ValueTask WriteAsync(
        OnRejectedContext context,
        Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>>? customWriter,
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
