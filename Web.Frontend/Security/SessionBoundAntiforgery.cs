using Microsoft.AspNetCore.Antiforgery;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Security;

/// <summary>
/// Binds every antiforgery token to the session that rendered it (<see cref="RecognisedSession"/>; "none" for a
/// visitor without one). ASP.NET binds an anonymous visitor's token only to its antiforgery cookie, so one token could
/// be replayed with a fresh made-up session on every request; now a token is good only with the session it was made
/// for, and a session planted in a browser after a form was rendered cannot ride that form (sign-in included).
/// </summary>
public sealed class SessionBoundAntiforgery : IAntiforgeryAdditionalDataProvider
{
    public string GetAdditionalData(HttpContext context) => Binding(context);

    public bool ValidateAdditionalData(HttpContext context, string additionalData) =>
        SharedSecrets.FixedTimeEquals(additionalData ?? "", Binding(context));

    private static string Binding(HttpContext context) => RecognisedSession.IdOf(context) ?? "";
}
