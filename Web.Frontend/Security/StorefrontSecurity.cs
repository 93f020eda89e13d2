using Microsoft.AspNetCore.Diagnostics;
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
    /// Refuses (403, the readable error page) a state-changing request that another site made the browser send:
    /// the browser says so in <c>Sec-Fetch-Site</c> (anything but <c>same-origin</c>), or its <c>Origin</c> is not this
    /// storefront's (the scheme and host the gateway forwarded). This, not a per-visitor antiforgery token, is what
    /// protects <c>/cart/add</c>, whose forms sit on pages shared by every visitor through the output cache; the
    /// cookies are SameSite=Lax on top, and the forms that are never cached (sign-in, checkout, the cart, devices,
    /// sign-out) keep their antiforgery tokens as well. Every browser in use sends at least one of the two headers
    /// on a cross-site POST; a request with neither (a script, curl) carries no victim's cookies to abuse.
    /// </summary>
    public static IApplicationBuilder UseCrossSiteRequestGuard(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            // The error page re-executed for this very refusal must render, not be refused again.
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                || HttpMethods.IsOptions(context.Request.Method) || HttpMethods.IsTrace(context.Request.Method)
                || context.Features.Get<IStatusCodeReExecuteFeature>() is not null
                || !IsCrossSite(context.Request))
            {
                return next(context);
            }
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return Task.CompletedTask;
        });

    internal static bool IsCrossSite(HttpRequest request)
    {
        if (request.Headers["Sec-Fetch-Site"] is { Count: > 0 } site && !string.Equals(site.ToString(), "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return request.Headers.Origin is { Count: > 0 } origin
            && !string.Equals(origin.ToString(), $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The client's address, scheme and host from <c>X-Forwarded-*</c>, believed only on a request that came through
    /// the gateway (<see cref="GatewayTrust"/>: the gateway's key, which it sets and a client cannot know). On one
    /// machine every peer is a loopback address, so trusting a peer address (ASP.NET's default trusts loopback) would
    /// let any local process forge its address and dodge the per-client limits. Any other request has those headers
    /// removed, so nothing later reads a forged one.
    /// </summary>
    public static IApplicationBuilder UseGatewayForwardedHeaders(this IApplicationBuilder app, IConfiguration configuration)
    {
        var key = GatewayTrust.Key(configuration);
        var fromGateway = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost,
            // The gateway replaces the headers, so they hold one hop: the client.
            ForwardLimit = 1,
        };
        // The key, not the peer's address, is what is trusted: accept the gateway from wherever it connects.
        fromGateway.KnownProxies.Clear();
        fromGateway.KnownIPNetworks.Clear();
        app.Use((context, next) =>
        {
            if (!GatewayTrust.CameThroughGateway(context.Request, key))
            {
                var headers = context.Request.Headers;
                headers.Remove("X-Forwarded-For");
                headers.Remove("X-Forwarded-Proto");
                headers.Remove("X-Forwarded-Host");
            }
            return next(context);
        });
        // With a stranger's headers gone, this applies only what the gateway said.
        return app.UseForwardedHeaders(fromGateway);
    }
}
