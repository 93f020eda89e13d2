namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// Marks a page whose handlers read or write the ASP.NET Core session. Only these endpoints (and requests
/// that already carry a session cookie, for the header's cart badge) run the session middleware, so a
/// cookieless catalog request costs no Redis round trip.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresSessionAttribute : Attribute;
