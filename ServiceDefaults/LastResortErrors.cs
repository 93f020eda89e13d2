using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The outermost catch of every service. In Development, ASP.NET wraps the whole pipeline in its developer exception
/// page, which shows whatever escapes the service's own error handling (an error page that itself failed) as a stack
/// trace with source paths and the request's headers, cookies included. The AppHost starts the services in its own
/// environment, so that page was one failing Redis call away from any shopper. Here such an exception becomes a bare
/// 500 (503 when a dependency is unreachable) that says nothing about the request, in every environment; the
/// details go to the log, where they belong.
/// </summary>
public static partial class LastResortErrors
{
    /// <summary>Call first, before anything that can throw.</summary>
    public static IApplicationBuilder UseLastResortErrors(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception exception) when (!context.Response.HasStarted)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    // The client went away: nobody to answer.
                    return;
                }
                var unavailable = RedisAvailability.IsOutage(exception) || exception is HttpRequestException or OperationCanceledException
                    or StackExchange.Redis.RedisException;
                Log(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.LastResortErrors"), exception,
                    context.Request.Method, context.Request.Path);
                context.Response.Clear();
                context.Response.StatusCode = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
                context.Response.Headers.CacheControl = "no-store";
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(unavailable
                    ? "The shop is temporarily unavailable. Please try again in a minute."
                    : "Something went wrong. Please try again in a moment.");
            }
        });

    [LoggerMessage(1, LogLevel.Error, "Unhandled exception escaped the error handling of {Method} {Path}; answered without details.")]
    private static partial void Log(ILogger logger, Exception exception, string method, string path);
}
