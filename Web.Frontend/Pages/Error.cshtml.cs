using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
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

    public int Status { get; private set; }
    public int? RetryAfterSeconds { get; private set; }
    public bool CartArea { get; private set; }
    public string? RetryUrl { get; private set; }
    public string? RetryFormAction { get; private set; }
    public IReadOnlyList<KeyValuePair<string, string>> RetryFields { get; private set; } = [];
    public bool RetryNeedsPassword { get; private set; }

    /// <summary>A fail-closed limit (sign-in) could not reach Redis: say so, rather than "the shop is down".</summary>
    public bool SignInUnavailable { get; private set; }

    public async Task OnGetAsync() => await BuildAsync();

    public async Task OnPostAsync() => await BuildAsync();

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
                var form = await Request.ReadFormAsync(HttpContext.RequestAborted);
                RetryFormAction = originalUrl;
                RetryNeedsPassword = form.ContainsKey("password");
                RetryFields = [.. form.Where(f => !NeverEchoed.Contains(f.Key)).Select(f => KeyValuePair.Create(f.Key, f.Value.ToString()))];
            }
            else
            {
                RetryUrl = originalUrl;
            }
        }
    }
}
