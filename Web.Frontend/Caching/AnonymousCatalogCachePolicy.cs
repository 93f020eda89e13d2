using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Caching;

/// <summary>
/// The storefront's only output-cache policy, for responses that are the same for every anonymous visitor.
///
/// Why not the default policy: it skips authenticated requests and responses that set a cookie, but it
/// ignores the cookies a request carries. A page that renders session data (a cart badge, a name, an
/// antiforgery token bound to the visitor's cookie) but sets no cookie on that response would be stored
/// and then served to the next visitor. This policy refuses to look up or store anything when the request
/// carries any <c>.shop.*</c> cookie or an authenticated user, and refuses to store a response that sets a
/// cookie or says no-store/private (antiforgery marks token-bearing pages no-store). It varies by query, not
/// by host, so every replica and every host name shares one entry.
///
/// Where it is used: product images. Catalog pages (home/browse, product detail) carry add-to-cart forms
/// whose antiforgery tokens are per visitor, so they are personalized and are NOT output cached: caching them
/// would mean either forms without antiforgery (unacceptable) or a two-step add for first-time visitors.
/// Their data is already cached in Redis one hop away by Catalog.Api's output cache.
/// </summary>
public sealed class AnonymousCatalogCachePolicy : IOutputCachePolicy
{
    public const string Name = "anonymous-catalog";

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var cacheable = IsAnonymousRead(context.HttpContext);
        context.EnableOutputCaching = true;
        context.AllowCacheLookup = cacheable;
        context.AllowCacheStorage = cacheable;
        context.AllowLocking = true;
        context.CacheVaryByRules.QueryKeys = "*";
        context.CacheVaryByRules.VaryByHost = false;
        // Catalog.Api shares the shop:oc: prefix (so its tag evictions reach our entries); keep our keys apart.
        context.CacheVaryByRules.CacheKeyPrefix = "storefront";
        context.Tags.Add(ShopOutputCache.CatalogTag);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) =>
        ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        if (response.StatusCode != StatusCodes.Status200OK
            || response.Headers.ContainsKey(HeaderNames.SetCookie)
            || context.HttpContext.User.Identity?.IsAuthenticated == true
            || response.Headers.CacheControl.Any(v => v is not null
                && (v.Contains("no-store", StringComparison.OrdinalIgnoreCase) || v.Contains("private", StringComparison.OrdinalIgnoreCase))))
        {
            context.AllowCacheStorage = false;
        }
        return ValueTask.CompletedTask;
    }

    internal static bool IsAnonymousRead(HttpContext context) =>
        (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
        && context.User.Identity?.IsAuthenticated != true
        && !StorefrontCookies.CarriesAny(context.Request);
}
