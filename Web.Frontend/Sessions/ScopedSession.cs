namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// Marks a page whose handlers read or write the ASP.NET Core session. Only these endpoints (and requests that
/// already carry a session cookie, for the header's cart badge) run the session middleware, so a cookieless
/// catalog request costs no Redis round trip.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresSessionAttribute : Attribute;

public static class ScopedSession
{
    /// <summary>
    /// Runs the session middleware only for endpoints marked <see cref="RequiresSessionAttribute"/> or for requests
    /// that already carry a session cookie the server issued. A global UseSession() costs a Redis round trip on every request, cookie
    /// or not, and with Redis down slows every catalog page to the connect timeout (docs/architecture.md).
    /// </summary>
    public static IApplicationBuilder UseScopedSession(this IApplicationBuilder app) =>
        app.UseWhen(NeedsSession, branch => branch.UseSession());

    // A cookie the server never issued is no session (RecognisedSession): a catalog page with an invented one costs
    // no Redis round trip either.
    internal static bool NeedsSession(HttpContext context) =>
        RecognisedSession.KeyOf(context) is not null
        || context.GetEndpoint()?.Metadata.GetMetadata<RequiresSessionAttribute>() is not null;
}
