using Microsoft.AspNetCore.HttpOverrides;
using Shop.Web.Frontend.Errors;
using Shop.Web.Frontend.Images;

namespace Shop.Web.Frontend.Extensions;

public static class StorefrontPipelineExtensions
{
    /// <summary>The storefront's middleware, in the order shared/design.md reasons out.</summary>
    public static WebApplication UseStorefrontPipeline(this WebApplication app)
    {
        // 1. The client's address and scheme, taken from X-Forwarded-* only when the peer is a configured proxy.
        if (TrustedProxyOptions(app.Configuration) is { } trustedProxies)
        {
            app.UseForwardedHeaders(trustedProxies);
        }
        app.UseStorefrontSecurityHeaders();

        // 2. Friendly pages, in every environment: a dependency that is down is a 503 page, not a stack trace.
        //    Status-code pages re-execute /error keeping the response headers (Retry-After on a 429).
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandlingPath = "/error",
            StatusCodeSelector = StorefrontFailures.StatusCodeFor,
        });
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");

        // 3. Static files: never limited, never sessioned, never authenticated.
        app.UseStaticFiles();

        // 4. Routing, then who the shopper is (ticket read from Redis on every request) and what they may see.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();

        // 5. Rate limits, a deliberate position: AFTER authentication, so a signed-in shopper is partitioned by
        //    user (one budget on every device and replica) rather than by a cookie or a shared address; BEFORE
        //    the output cache, so a cache hit still counts toward the shopper's fair share (a cached page is
        //    cheap for us, but a scraper is still a scraper). Static files above are never limited; /health and
        //    /alive carry no policy. A rejection leaves the body empty for the status-code page above.
        app.UseRateLimiter();

        // 6. Output cache after authentication: the policy must see the user (and the request's cookies).
        app.UseOutputCache();

        // 7. Session only where a page needs it (or a session cookie is already present, for the badge).
        app.UseScopedSession();

        // 8. Antiforgery for endpoints that declare it (Razor Pages validate their POSTs with a filter).
        app.UseAntiforgery();
        return app;
    }

    /// <summary>Maps the pages and product images; returns handles for attaching rate-limiting policies.</summary>
    public static StorefrontEndpointConventions MapStorefront(this WebApplication app)
    {
        var pages = app.MapRazorPages();
        var images = app.MapProductImages();
        return new StorefrontEndpointConventions(
            Browse: new CompositeConventionBuilder(
                new FilteredConventionBuilder(pages,
                    b => !FilteredConventionBuilder.IsSignInPage(b) && !FilteredConventionBuilder.IsErrorPage(b)), images),
            SignIn: new FilteredConventionBuilder(pages, FilteredConventionBuilder.IsSignInPage));
    }

    /// <summary>
    /// ASP.NET trusts any loopback peer by default, and trusts every peer when the lists are empty. Here both
    /// are wrong: the AppHost's proxy forwards TCP, so every shopper arrives from loopback and could forge
    /// <c>X-Forwarded-For</c> to dodge the per-client sign-in and browse limits. So the middleware runs only
    /// when <c>ForwardedHeaders:KnownProxies</c> names a proxy (an HTTP reverse proxy in a real deployment, or
    /// a test standing in for one), and then trusts exactly those.
    /// </summary>
    private static ForwardedHeadersOptions? TrustedProxyOptions(IConfiguration configuration)
    {
        var proxies = configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [];
        if (proxies.Length == 0)
        {
            return null;
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
        return options;
    }
}
