using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Web.Frontend.Authentication;

namespace Shop.Web.Frontend.Pages.Account;

/// <summary><c>/account/sessions</c>: the user's signed-in devices; revoking deletes the ticket in Redis.</summary>
[Authorize]
public sealed class SessionsModel(RedisTicketStore tickets) : PageModel
{
    public IReadOnlyList<ActiveSession> Sessions { get; private set; } = [];

    public string? CurrentTicketId => HttpContext.Items[RedisTicketStore.TicketIdItem] as string;

    public string? Message { get; private set; }

    private string UserId => User.GetUserId()!;

    public async Task OnGetAsync() => Sessions = await tickets.ListSessionsAsync(UserId);

    public async Task<IActionResult> OnPostRevokeAsync(string ticketId)
    {
        if (string.IsNullOrEmpty(ticketId) || ticketId.Length > 64)
        {
            return BadRequest();
        }
        await tickets.RevokeAsync(UserId, ticketId);
        return ticketId == CurrentTicketId ? LocalRedirect("/") : RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeOthersAsync()
    {
        if (CurrentTicketId is { } current)
        {
            await tickets.RevokeOthersAsync(UserId, current);
        }
        return RedirectToPage();
    }
}
