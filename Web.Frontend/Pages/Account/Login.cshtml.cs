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

/// <summary><c>/account/login</c>: form fields <c>username</c>, <c>password</c>, <c>returnUrl</c>.</summary>
[RequiresSession]
public sealed class LoginModel(AccountVerifier accounts, SignInAttemptLimiter attempts, ICartApi carts, CartTokens tokens) : PageModel
{
    public const string FailureMessage = "The user name or password is incorrect.";

    [BindProperty(Name = "username")] public string? UserName { get; set; }
    [BindProperty(Name = "password")] public string? Password { get; set; }
    [BindProperty(SupportsGet = true, Name = "returnUrl")] public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true ? LocalRedirect(Display.SafeReturnUrl(ReturnUrl)) : Page();

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
            return Page();
        }

        // The anonymous cart is merged BEFORE anything changes: if Cart.Api is down the shopper sees the
        // 503 page and is still anonymous with their session (and cart) intact, and can simply retry.
        var hadSession = Request.Cookies.ContainsKey(StorefrontCookies.Session);
        if (hadSession)
        {
            await HttpContext.Session.LoadAsync(HttpContext.RequestAborted);
            if (HttpContext.Session.GetString(ShopperCart.SessionKey) is { } anonymousCartId)
            {
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
}
