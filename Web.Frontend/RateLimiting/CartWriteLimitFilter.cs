using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.RateLimiting;

/// <summary>
/// The <c>cart-write</c> token bucket on the POST handlers of the cart and checkout pages. Those pages are
/// already under the endpoint policy <c>browse</c> (one policy per endpoint), so this second limit is a page
/// filter. It runs after antiforgery validation, so only genuine form posts spend tokens. A shopper owns
/// exactly one cart (<c>u-{user}</c>, or the one their session names), so partitioning by shopper is
/// partitioning by cart, without loading the session first.
/// </summary>
internal sealed class CartWriteLimitFilter : IAsyncPageFilter
{
    public const string Policy = "cart-write";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var limiter = http.RequestServices.GetRequiredService<ShopRateLimiter>();
            var cart = RateLimitPartitions.Shopper(http, StorefrontCookies.Session);
            if (await limiter.TryAcquireAsync(Policy, cart, http.RequestAborted) is { } rejection)
            {
                ShopRateLimiter.Reject(http, rejection);
                // An empty 429 body: the status-code page renders it, keeping what the shopper posted.
                context.Result = new StatusCodeResult(rejection.StatusCode);
                return;
            }
        }
        await next();
    }
}
