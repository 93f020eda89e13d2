using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Web.Frontend.Accounts;
using Shop.Web.Frontend.Extensions;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Account;

/// <summary>
/// <c>/account/login</c>: form fields <c>username</c>, <c>password</c>, <c>returnUrl</c>, and, when this browser has
/// an anonymous cart, <c>keepCart</c> and <c>cartContents</c>. Signing in merges the anonymous cart into the account
/// only as the shopper saw it on this form: the page lists its items, the shopper can leave them out, and a cart
/// that changed after the form was rendered (someone else holding the same session cookie adding to it) is not
/// merged unseen. The server cannot tell a cookie planted in a browser from the browser's own; what it can do is
/// make sure the shopper sees exactly what joins their account.
/// </summary>
[RequiresSession]
public sealed class LoginModel(AccountVerifier accounts, SignInAttemptLimiter attempts, ICartApi carts, CartTokens tokens) : PageModel
{
    public const string FailureMessage = "The user name or password is incorrect.";

    [BindProperty(Name = "username")] public string? UserName { get; set; }
    [BindProperty(Name = "password")] public string? Password { get; set; }
    [BindProperty(SupportsGet = true, Name = "returnUrl")] public string? ReturnUrl { get; set; }
    [BindProperty(Name = "keepCart")] public bool KeepCart { get; set; }
    [BindProperty(Name = "cartContents")] public string? CartContents { get; set; }

    public const string CartChangedMessage = "Your cart changed while you were signing in. Check the items below, then sign in again.";

    public string? Error { get; private set; }

    /// <summary>The anonymous cart this browser brings to the sign-in (null without one, or when it is empty).</summary>
    public Clients.Cart? AnonymousCart { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return LocalRedirect(Display.SafeReturnUrl(ReturnUrl));
        }
        await ShowAnonymousCartAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Before the password is checked, so a blocked attempt says nothing about whether it was right.
        if (await attempts.TryAcquireAsync(UserName, HttpContext.RequestAborted) is { } blocked)
        {
            ShopRateLimiter.Reject(HttpContext, blocked);
            return StatusCode(blocked.StatusCode);
        }
        if (accounts.Verify(UserName, Password) is not { } account)
        {
            Error = FailureMessage;
            Password = null;
            await ShowAnonymousCartAsync();
            return Page();
        }

        // The anonymous cart is merged BEFORE anything changes: if Cart.Api is down the shopper sees the
        // 503 page and is still anonymous with their session (and cart) intact, and can simply retry.
        var hadSession = Request.Cookies.ContainsKey(StorefrontCookies.Session);
        if (hadSession)
        {
            await HttpContext.Session.LoadAsync(HttpContext.RequestAborted);
            if (KeepCart && HttpContext.Session.GetString(ShopperCart.SessionKey) is { } anonymousCartId)
            {
                var shown = await carts.GetCartAsync(anonymousCartId, tokens.For(anonymousCartId), HttpContext.RequestAborted);
                if (shown.Lines.Count > 0 && ContentsOf(shown) != CartContents)
                {
                    Error = CartChangedMessage;
                    Password = null;
                    AnonymousCart = shown;
                    return Page();
                }
                var userCartId = ShopperCart.UserCartId(account.UserId);
                await carts.MergeAsync(userCartId, new MergeCarts(anonymousCartId), tokens.ForMerge(userCartId, anonymousCartId), HttpContext.RequestAborted);
            }
            // Session fixation: ASP.NET Core never rotates the session key, so a session cookie planted
            // before sign-in would still name this shopper's session after it. Empty the old session and drop
            // its cookie; the signed-in shopper's cart is u-{userId} and needs no session.
            HttpContext.Session.Clear();
            Response.Cookies.Delete(StorefrontCookies.Session);
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, account.UserId), new Claim(ClaimTypes.Name, account.DisplayName)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        return LocalRedirect(Display.SafeReturnUrl(ReturnUrl));
    }

    /// <summary>What the form says the shopper saw: every line's product and quantity, in order.</summary>
    public static string ContentsOf(Clients.Cart cart) =>
        string.Join(",", cart.Lines.OrderBy(l => l.ProductId).Select(l => $"{l.ProductId}x{l.Quantity}"));

    private async Task ShowAnonymousCartAsync()
    {
        if (!Request.Cookies.ContainsKey(StorefrontCookies.Session))
        {
            return;
        }
        await HttpContext.Session.LoadAsync(HttpContext.RequestAborted);
        if (HttpContext.Session.GetString(ShopperCart.SessionKey) is { } anonymousCartId
            && await carts.GetCartAsync(anonymousCartId, tokens.For(anonymousCartId), HttpContext.RequestAborted) is { Lines.Count: > 0 } cart)
        {
            AnonymousCart = cart;
        }
    }
}
