using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Pages.Shared.Components.CartBadge;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Cart;

/// <summary><c>/cart</c>: view, add (from any product form), change quantity, remove.</summary>
[RequiresSession]
public sealed class IndexModel(ICartApi carts) : PageModel
{
    public const int MaxQuantity = 99;

    public Clients.Cart? Cart { get; private set; }

    public async Task OnGetAsync()
    {
        var cartId = await ShopperCart.GetCartIdAsync(HttpContext, create: false);
        Cart = cartId is null ? null : await carts.GetCartAsync(cartId, HttpContext.RequestAborted);
        ViewData[CartBadgeViewComponent.CountViewDataKey] = Cart?.ItemCount ?? 0;
    }

    public async Task<IActionResult> OnPostAddAsync(int productId, int quantity = 1)
    {
        if (productId <= 0 || quantity is < 1 or > MaxQuantity)
        {
            return BadRequest();
        }
        var cartId = await ShopperCart.GetCartIdAsync(HttpContext, create: true);
        await carts.AddItemAsync(cartId!, new AddCartItem(productId, quantity), HttpContext.RequestAborted);
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostUpdateAsync(int productId, int quantity)
    {
        if (productId <= 0 || quantity is < 0 or > MaxQuantity)
        {
            return BadRequest();
        }
        if (await ShopperCart.GetCartIdAsync(HttpContext, create: false) is { } cartId)
        {
            await carts.SetQuantityAsync(cartId, productId, new SetCartQuantity(quantity), HttpContext.RequestAborted);
        }
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(int productId)
    {
        if (productId <= 0)
        {
            return BadRequest();
        }
        if (await ShopperCart.GetCartIdAsync(HttpContext, create: false) is { } cartId)
        {
            await carts.RemoveItemAsync(cartId, productId, HttpContext.RequestAborted);
        }
        return RedirectToPage();
    }
}
