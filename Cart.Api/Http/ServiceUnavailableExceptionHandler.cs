using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Shop.Cart.Api.Catalog;
using StackExchange.Redis;

namespace Shop.Cart.Api.Http;

/// <summary>
/// Redis or Catalog.Api being down is an outage, not a bug: answer 503 ProblemDetails with Retry-After (so the
/// storefront can show "try again" and proxies can back off), never a 500 with a stack trace.
/// </summary>
internal sealed class ServiceUnavailableExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    /// <summary>What an outage answer tells clients to wait before retrying.</summary>
    public const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var detail = exception switch
        {
            RedisException or RedisTimeoutException => "The cart store (Redis) is unavailable. Please try again shortly.",
            // StackExchange.Redis cancels commands in flight when it drops a connection it thinks is dead; the
            // caller did not cancel, so this is the same outage seen from the other side.
            OperationCanceledException when !httpContext.RequestAborted.IsCancellationRequested =>
                "The cart store (Redis) did not answer. Please try again shortly.",
            CatalogUnavailableException => "The catalog is unavailable. Please try again shortly.",
            _ when RedisAvailability.IsOutage(exception) => "The cart store (Redis) is unavailable. Please try again shortly.",
            _ => null,
        };
        if (detail is null)
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service unavailable",
                Detail = detail,
            },
        });
    }
}
