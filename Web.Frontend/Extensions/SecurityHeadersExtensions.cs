namespace Shop.Web.Frontend.Extensions;

public static class SecurityHeadersExtensions
{
    // Everything is served from this origin: no CDN, no inline script or style, images are local SVGs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>
    /// Adds the headers when the response starts, so they are also on error pages (the exception handler
    /// clears headers before re-executing) and on responses served from the output cache.
    /// </summary>
    public static IApplicationBuilder UseStorefrontSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                headers.XFrameOptions = "DENY";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
