using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Authentication;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Orders;

/// <summary>
/// <c>/orders/{id}</c>: the confirmation, for its owner only. Someone else's order is a 404, exactly like
/// an unknown one, so order ids cannot be probed.
/// </summary>
[Authorize]
public sealed partial class DetailsModel(ICartApi carts, CartTokens tokens) : PageModel
{
    public Order Order { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!OrderIdPattern().IsMatch(id))
        {
            return NotFound();
        }
        try
        {
            Order = await carts.GetOrderAsync(id, tokens.For(ShopperCart.UserCartId(User.GetUserId()!)), HttpContext.RequestAborted);
        }
        catch (Refit.ApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return NotFound();
        }
        return Order.CartId == ShopperCart.UserCartId(User.GetUserId()!) ? Page() : NotFound();
    }

    // \z, not $: "$" also matches before a final "\n".
    [GeneratedRegex(@"^[a-f0-9]{32}\z")]
    private static partial Regex OrderIdPattern();
}
