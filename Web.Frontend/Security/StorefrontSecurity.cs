using Microsoft.AspNetCore.HttpOverrides;

namespace Shop.Web.Frontend.Security;

/// <summary>What every storefront response says about itself, and whom the storefront believes about the client.</summary>
public static class StorefrontSecurity
{
    // Everything is served from this origin: no CDN, no inline script or style, images are local SVGs.
    private const string ContentSecurityPolicy =
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; form-action 'self'; "
        + "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    /// <summary>
    /// Adds the headers when the response starts, so they are also on error pages (the exception handler clears
    /// headers before re-executing) and on responses served from the output cache.
    /// </summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
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

    /// <summary>
    /// The client's address and scheme from <c>X-Forwarded-*</c>, believed only from the proxies named in
    /// <c>ForwardedHeaders:KnownProxies</c>. ASP.NET trusts any loopback peer by default, and every peer when the
    /// lists are empty; both are wrong here: the AppHost's proxy forwards TCP, so every shopper arrives from
    /// loopback and could forge <c>X-Forwarded-For</c> to dodge the per-client sign-in and browse limits. With no
    /// proxy configured the middleware does not run at all.
    /// </summary>
    public static IApplicationBuilder UseTrustedForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        if (proxies.Length == 0)
        {
            return app;
        }
        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
        };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in proxies)
        {
            options.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        }
        return app.UseForwardedHeaders(options);
    }
}
