using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Pages.Shared.Components.CartBadge;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Cart;

/// <summary><c>/cart</c>: view, change quantity, remove (adding is <see cref="AddModel"/>, from any product form).</summary>
[RequiresSession]
public sealed class IndexModel(ICartApi carts, CartTokens tokens) : PageModel
{
    public const int MaxQuantity = 99;

    public Clients.Cart? Cart { get; private set; }

    public async Task OnGetAsync()
    {
        var cartId = await ShopperCart.GetCartIdAsync(HttpContext, create: false);
        Cart = cartId is null ? null : await carts.GetCartAsync(cartId, tokens.For(cartId), HttpContext.RequestAborted);
        ViewData[CartBadgeViewComponent.CountViewDataKey] = Cart?.ItemCount ?? 0;
    }

    // Every handler checks ModelState first: a value that does not bind ("quantity=abc") must be refused, not
    // silently replaced by the parameter's default (0 for update, which would remove the line).
    public async Task<IActionResult> OnPostUpdateAsync(int productId, int quantity)
    {
        if (!ModelState.IsValid || productId <= 0 || quantity is < 0 or > MaxQuantity)
        {
            return BadRequest();
        }
        if (await ShopperCart.GetCartIdAsync(HttpContext, create: false) is { } cartId)
        {
            await carts.SetQuantityAsync(cartId, productId, new SetCartQuantity(quantity), tokens.For(cartId), HttpContext.RequestAborted);
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(int productId)
    {
        if (!ModelState.IsValid || productId <= 0)
        {
            return BadRequest();
        }
        if (await ShopperCart.GetCartIdAsync(HttpContext, create: false) is { } cartId)
        {
            await carts.RemoveItemAsync(cartId, productId, tokens.For(cartId), HttpContext.RequestAborted);
        }
        return RedirectToPage();
    }
}
