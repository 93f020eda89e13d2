using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Errors;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Shared.Components.CartBadge;

/// <summary>
/// The header's cart count. Signed in: the user's cart (no session needed). Anonymous: only when the
/// request carries a session cookie (then the scoped session middleware ran); a cookieless visitor has no
/// cart, so the badge costs them nothing. Otherwise it costs one call to Cart.Api's count, which is one Redis round
/// trip there (the full cart would also look up every line in the catalog). Failures never break the page: the
/// badge just shows no count.
/// </summary>
public sealed class CartBadgeViewComponent(ICartApi carts, CartTokens tokens, ILogger<CartBadgeViewComponent> logger) : ViewComponent
{
    public const string CountViewDataKey = "CartCount";

    public async Task<IViewComponentResult> InvokeAsync()
    {
        if (ViewData[CountViewDataKey] is int known)
        {
            return View(new CartBadgeModel(known, Available: true));
        }
        // The error page of a failed dependency must not wait on the failing dependency again for the badge
        // (with the catalog down, asking Cart.Api for the cart takes as long as its catalog timeouts).
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
            var count = cartId is null ? 0 : (await carts.CountItemsAsync(cartId, tokens.For(cartId), HttpContext.RequestAborted)).ItemCount;
            return View(new CartBadgeModel(count, Available: true));
        }
        catch (Exception ex) when (StorefrontFailures.IsUnavailable(ex) || ex is Refit.ApiException)
        {
            logger.LogWarning(ex, "Cart badge unavailable.");
            return View(new CartBadgeModel(0, Available: false));
        }
    }
}

public sealed record CartBadgeModel(int Count, bool Available);
