using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Authentication;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Pages.Shared.Components.CartBadge;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Checkout;

/// <summary>
/// <c>/checkout</c>, signed-in only: an anonymous shopper is sent to sign in with a return URL, and their
/// cart is merged at sign-in, so it is waiting here. The form carries an idempotency key generated when the
/// page was rendered: a double submit (or a retry after a timeout) returns the same order, never two.
/// </summary>
[Authorize]
public sealed partial class IndexModel(ICartApi carts, CartTokens tokens) : PageModel
{
    public Clients.Cart Cart { get; private set; } = null!;

    public string IdempotencyKey { get; private set; } = "";

    public string? Problem { get; private set; }

    private string CartId => ShopperCart.UserCartId(User.GetUserId()!);

    public async Task OnGetAsync() => await LoadAsync(NewKey());

    public async Task<IActionResult> OnPostAsync([FromForm(Name = "idempotencyKey")] string? idempotencyKey)
    {
        var key = idempotencyKey is not null && KeyPattern().IsMatch(idempotencyKey) ? idempotencyKey : NewKey();
        var response = await carts.CheckoutAsync(CartId, key, tokens.For(CartId), HttpContext.RequestAborted);
        if (response.IsSuccessful && response.Content is { } order)
        {
            return RedirectToPage("/Orders/Details", new { id = order.OrderId });
        }
        if (response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest)
        {
            // Out of stock (cart kept) or an empty cart: show why, with the cart as it is now and a fresh key.
            Problem = ReadProblem((response.Error as Refit.ApiException)?.Content)
                ?? (response.StatusCode == HttpStatusCode.Conflict ? "Some items are no longer in stock." : "Your cart is empty.");
            await LoadAsync(NewKey());
            return Page();
        }
        // 503 / anything else: the friendly error page (the cart is kept by Cart.Api).
        throw (Exception?)response.Error ?? new HttpRequestException($"Checkout failed with {response.StatusCode}.");
    }

    private async Task LoadAsync(string key)
    {
        Cart = await carts.GetCartAsync(CartId, tokens.For(CartId), HttpContext.RequestAborted);
        IdempotencyKey = key;
        ViewData[CartBadgeViewComponent.CountViewDataKey] = Cart.ItemCount;
    }

    private static string? ReadProblem(string? json)
    {
        try
        {
            var problem = json is null ? null : JsonSerializer.Deserialize(json, StorefrontJsonContext.Default.ProblemBody);
            return problem?.Detail ?? problem?.Title;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string NewKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    // \z, not $: "$" also matches before a final "\n", and a newline cannot go into the Idempotency-Key header.
    [GeneratedRegex(@"^[a-f0-9]{32}\z")]
    private static partial Regex KeyPattern();
}
