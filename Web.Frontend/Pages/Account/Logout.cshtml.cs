using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Pages.Account;

/// <summary>POST <c>/account/logout</c>: deletes the ticket in Redis (anonymous on every replica at once) and the session.</summary>
[RequiresSession]
public sealed class LogoutModel : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        // SignOutAsync → RedisTicketStore.RemoveAsync: the ticket key and its index entry are deleted.
        await HttpContext.SignOutAsync();
        if (Request.Cookies.ContainsKey(StorefrontCookies.Session))
        {
            await HttpContext.Session.LoadAsync(HttpContext.RequestAborted);
            HttpContext.Session.Clear();
            Response.Cookies.Delete(StorefrontCookies.Session);
        }
        return LocalRedirect("/");
    }
}
