using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Shop.Web.Frontend.Errors;
using Shop.Web.Frontend.Sessions;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Pages.Shared.Components.CartBadge;

/// <summary>
/// The header's cart count. Signed in: the user's cart (no session needed). Anonymous: only when the request carries
/// a session cookie (then the scoped session middleware ran); a cookieless visitor has no cart, so the badge costs
/// them nothing. Otherwise it is one Redis read of the cart Cart.Api keeps (<see cref="ShopCarts"/>), not a call to
/// Cart.Api. Failures never break the page: the badge just shows no count.
/// </summary>
public sealed class CartBadgeViewComponent(IConnectionMultiplexer redis, RedisAvailability availability, ILogger<CartBadgeViewComponent> logger)
    : ViewComponent
{
    public const string CountViewDataKey = "CartCount";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (ViewData[CountViewDataKey] is int known)
        {
            return View(new CartBadgeModel(known, Available: true));
        }
        // The error page of a failed dependency must not wait on the failing dependency again for the badge.
        if (HttpContext.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            return View(new CartBadgeModel(0, Available: false));
        }
        try
        {
            var hasSession = HttpContext.Features.Get<ISessionFeature>() is not null;
            var cartId = User.Identity?.IsAuthenticated == true || hasSession
                ? await ShopperCart.GetCartIdAsync(HttpContext, create: false)
                : null;
            if (cartId is null)
            {
                return View(new CartBadgeModel(0, Available: true));
            }
            // A Redis that stalled a moment ago is not asked again: the badge waits for nobody.
            if (!availability.Available)
            {
                return View(new CartBadgeModel(0, Available: false));
            }
            var count = await ShopCarts.CountItemsAsync(redis.GetDatabase(), cartId).WaitAsync(HttpContext.RequestAborted);
            return View(new CartBadgeModel(count, Available: true));
        }
        catch (Exception ex) when (StorefrontFailures.IsUnavailable(ex))
        {
            availability.Failed(ex);
            logger.LogWarning(ex, "Cart badge unavailable.");
            return View(new CartBadgeModel(0, Available: false));
        }
    }
}

public sealed record CartBadgeModel(int Count, bool Available);
