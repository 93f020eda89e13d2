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
