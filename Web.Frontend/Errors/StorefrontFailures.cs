using System.Net;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Refit;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Errors;

/// <summary>
/// Which friendly page an unhandled exception becomes. A dependency that is down (Cart.Api, Catalog.Api,
/// Redis) is a 503 with a clear message, an unknown product or order is a 404, anything else a 500;
/// never a stack trace.
/// </summary>
public static class StorefrontFailures
{
    public static int StatusCodeFor(Exception exception) => exception switch
    {
        ApiException { StatusCode: HttpStatusCode.NotFound } => StatusCodes.Status404NotFound,
        // Cart.Api's own cart-write limit (a backstop behind ours): the same friendly 429 page, not a 500.
        ApiException { StatusCode: HttpStatusCode.TooManyRequests } => StatusCodes.Status429TooManyRequests,
        ApiException { StatusCode: >= HttpStatusCode.InternalServerError } => StatusCodes.Status503ServiceUnavailable,
        _ when IsUnavailable(exception) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    // ApiRequestException: what a Refit IApiResponse carries when no response came back at all (a timeout,
    // a refused connection) — the dependency is unreachable, exactly like an HttpRequestException.
    public static bool IsUnavailable(Exception exception) => exception is
        HttpRequestException or ApiRequestException or BrokenCircuitException or TimeoutRejectedException
        or TimeoutException or RedisException or OperationCanceledException
        || RedisAvailability.IsOutage(exception);

    /// <summary>Pages whose failure means "your cart is temporarily unavailable" (they need Cart.Api, the session or sign-in).</summary>
    public static bool IsCartPath(PathString path) =>
        path.StartsWithSegments("/cart") || path.StartsWithSegments("/checkout")
        || path.StartsWithSegments("/account") || path.StartsWithSegments("/orders");
}
