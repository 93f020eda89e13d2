using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Net.Http.Headers;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Caching;

/// <summary>
/// The storefront's only output-cache policy, for what is the same for every anonymous visitor: the browse pages
/// (home, category, search, paging), the product pages and the product images. One entry in Redis serves every
/// replica, so a page one replica rendered is a hit on the others and costs no call to Catalog.Api.
///
/// Why not the default policy: it skips authenticated requests and responses that set a cookie, but it ignores
/// the cookies a request carries. A page that renders session data (a cart badge, a name, an antiforgery token
/// bound to the visitor's session) but sets no cookie on that response would be stored and then served to the next
/// visitor. This policy refuses to look up or store anything when the request carries any of our cookies (matched
/// case-insensitively, as ASP.NET reads them) or an authenticated user, and refuses to store a response that sets a
/// cookie or says no-store/private (antiforgery marks token-bearing pages no-store), so nothing personal ever
/// reaches a shared entry. The browse pages can be cached at all because their add-to-cart forms carry no
/// per-visitor token: they are protected from cross-site posts by <c>CrossSiteRequestGuard</c> instead.
///
/// Varied by query, not by host, so every replica and every host name shares one entry. Tagged like the catalog's
/// own entries (<see cref="ShopOutputCache"/>): every entry carries <c>catalog</c> and the flush tag, and a page
/// adds the <c>product:{id}</c> of every product it shows (<see cref="ShopOutputCache.TagCachedResponse(HttpContext, IEnumerable{int})"/>),
/// so the catalog's write path, which evicts those tags before it answers, evicts these pages too.
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
        context.Tags.Add(ShopOutputCache.EverythingTag);
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
