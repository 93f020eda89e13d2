using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Web.Frontend.Errors;

namespace Shop.Web.Frontend.Pages;

/// <summary>
/// The friendly page for every error status (re-executed by the exception handler and status-code pages).
/// A 429 says when to try again (from Retry-After) and keeps what the shopper typed: a GET gets a "try
/// again" link to the same URL, a POST gets its non-secret fields back in a form with a fresh token.
/// </summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    private static readonly HashSet<string> NeverEchoed = new(StringComparer.OrdinalIgnoreCase)
    {
        "password", "__RequestVerificationToken", "idempotencyKey",
    };

    /// <summary>The largest body whose fields the 429 page gives back (a sign-in or add-to-cart form is a few hundred bytes).</summary>
    private const long EchoedFormBytes = 2048;

    /// <summary>More fields than any Shop form has are not a shopper's input.</summary>
    private const int MaxEchoedFields = 8;

    public int Status { get; private set; }
    public int? RetryAfterSeconds { get; private set; }
    public bool CartArea { get; private set; }
    public string? RetryUrl { get; private set; }
    public string? RetryFormAction { get; private set; }
    public IReadOnlyList<KeyValuePair<string, string>> RetryFields { get; private set; } = [];
    public bool RetryNeedsPassword { get; private set; }

    /// <summary>A fail-closed limit (sign-in) could not reach Redis: say so, rather than "the shop is down".</summary>
    public bool SignInUnavailable { get; private set; }

    /// <summary>
    /// Runs for every method, handler or not: the status-code pages re-execute this page with the refused request's
    /// own method, and for a method without a handler (OPTIONS) Razor Pages answers an empty 200, so a refused
    /// OPTIONS ended as a 200. Such a method gets the page too.
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await BuildAsync();
        if (context.HandlerMethod is null)
        {
            context.Result = Page();
            return;
        }
        await next();
    }

    private async Task BuildAsync()
    {
        var reExecute = HttpContext.Features.Get<IStatusCodeReExecuteFeature>();
        var exception = HttpContext.Features.Get<IExceptionHandlerPathFeature>();
        Status = reExecute?.OriginalStatusCode
            ?? (exception is not null ? StorefrontFailures.StatusCodeFor(exception.Error)
                : int.TryParse(Request.Query["status"], out var s) && s is >= 400 and <= 599 ? s : 404);
        Response.StatusCode = Status;
        Response.Headers.CacheControl = "no-store";

        var originalPath = reExecute?.OriginalPath ?? exception?.Path ?? "/";
        CartArea = StorefrontFailures.IsCartPath(originalPath);
        SignInUnavailable = HttpContext.Features.Get<RateLimitRejection>() is { Reason: RateLimitRejectionReason.RedisUnavailable };

        if (Status == StatusCodes.Status429TooManyRequests)
        {
            if (exception?.Error is Refit.ApiException { Headers.RetryAfter.Delta: { } apiRetryAfter })
            {
                // The exception handler cleared our headers; pass on what the API that refused us said.
                Response.Headers.RetryAfter = ((int)Math.Ceiling(apiRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            RetryAfterSeconds = int.TryParse(Response.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                ? seconds : null;
            var originalUrl = $"{reExecute?.OriginalPathBase}{originalPath}{reExecute?.OriginalQueryString}";
            if (HttpMethods.IsPost(Request.Method) && Request.HasFormContentType)
            {
                RetryFormAction = originalUrl;
                // Only a body the size of a real form is read back. A refused request must cost next to nothing:
                // echoing every field at any size turned one 4 MB post into a 4 MB page and a quarter of a
                // gigabyte of replica memory that stayed. A larger (or unsized, chunked) body is never parsed, and
                // the shopper gets the retry form without their input.
                // (Multipart is not echoed either: no Shop form is multipart.)
                if (Request.ContentLength is { } length && length <= EchoedFormBytes
                    && Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true)
                {
                    var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
                    RetryNeedsPassword = form.ContainsKey("password");
                    RetryFields = [.. form.Where(f => !NeverEchoed.Contains(f.Key)).Take(MaxEchoedFields)
                        .Select(f => KeyValuePair.Create(f.Key, f.Value.ToString()))];
                }
            }
            else
            {
                RetryUrl = originalUrl;
            }
        }
    }
}
