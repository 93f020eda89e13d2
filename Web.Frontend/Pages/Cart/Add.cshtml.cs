using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Cart;

/// <summary>
/// POST <c>/cart/add</c>: the add-to-cart form of every product card and product page. Its own page because those
/// forms are on pages served from the shared output cache, which cannot hold a per-visitor antiforgery token: this
/// one POST is protected from other sites by <c>CrossSiteRequestGuard</c> (the browser's <c>Sec-Fetch-Site</c> and
/// <c>Origin</c>) and SameSite=Lax cookies instead. Every other form keeps its token.
/// </summary>
[RequiresSession]
[IgnoreAntiforgeryToken]
public sealed class AddModel(ICartApi carts, CartTokens tokens) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/cart");

    // ModelState first: a value that does not bind ("quantity=abc") is refused, not replaced by the default.
    public async Task<IActionResult> OnPostAsync(int productId, int quantity = 1)
    {
        if (!ModelState.IsValid || productId <= 0 || quantity is < 1 or > IndexModel.MaxQuantity)
        {
            return BadRequest();
        }
        var cartId = await ShopperCart.GetCartIdAsync(HttpContext, create: true);
        await carts.AddItemAsync(cartId!, new AddCartItem(productId, quantity), tokens.For(cartId!), HttpContext.RequestAborted);
        return LocalRedirect("/cart");
    }
}
