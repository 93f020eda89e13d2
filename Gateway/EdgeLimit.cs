using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Gateway;

/// <summary>
/// A ceiling per client address on every request, in addition to the per-shopper limits behind it: however a client
/// varies its cookies, it can cost the replicas and Redis at most this much. Counted in this process on purpose: the
/// edge is where a flood is cheapest to refuse, a refusal here costs no Redis round trip, and there is one gateway
/// (with several, each would count its own share, as nginx's limit_req does). The exact, shared limits per shopper,
/// account and cart are the services' own, in Redis.
/// </summary>
public static class EdgeLimit
{
    public const string Policy = "edge";

    public static IHostApplicationBuilder AddEdgeLimit(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("EdgeLimit");
        var permitLimit = section.GetValue<int?>("PermitLimit") is { } limit and > 0
            ? limit
            : throw new InvalidOperationException("EdgeLimit:PermitLimit (requests per client address and window) is not configured.");
        var window = section.GetValue<TimeSpan?>("Window") is { TotalSeconds: >= 1 } configured
            ? configured
            : throw new InvalidOperationException("EdgeLimit:Window (at least 00:00:01) is not configured.");

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => RateLimitPartition.GetFixedWindowLimiter(RateLimitPartitions.ClientIp(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = window, QueueLimit = 0 }));
            options.OnRejected = (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                return new ValueTask(TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests",
                    detail: "This address has sent too many requests; try again after Retry-After seconds.").ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }
}
