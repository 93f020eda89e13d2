using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// The session key the server itself issued, read from the session cookie exactly as ASP.NET's session middleware
/// reads it: base64, then unprotected with the middleware's Data Protection purpose. A made-up or tampered value does
/// not unprotect, so it is no session at all; whitespace-padded copies of a real cookie (base64 ignores the spaces)
/// unprotect to the same key, so they are the same session. Everything that keys on "this anonymous shopper" (the
/// browse and cart-write limits, the antiforgery binding, whether to load the session) uses this key and never
/// the raw cookie: otherwise every invented value is a fresh budget and a fresh set of Redis keys.
/// </summary>
public sealed class RecognisedSession(IDataProtectionProvider dataProtection)
{
    /// <summary>The purpose <c>Microsoft.AspNetCore.Session.SessionMiddleware</c> protects its cookie with (its type name).</summary>
    private const string SessionMiddlewarePurpose = "SessionMiddleware";

    /// <summary>Session keys are GUIDs in their 36-character form; anything else is not one the middleware made.</summary>
    private const int SessionKeyLength = 36;

    private static readonly object ItemsKey = new();

    private readonly IDataProtector _protector = dataProtection.CreateProtector(SessionMiddlewarePurpose);

    /// <summary>The issued session key of this request's session cookie, or null (no cookie, or one we never issued). Read once per request.</summary>
    public static string? KeyOf(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemsKey, out var known))
        {
            return (string?)known;
        }
        var key = context.Request.Cookies.TryGetValue(StorefrontCookies.Session, out var cookie) && !string.IsNullOrEmpty(cookie)
            ? context.RequestServices.GetRequiredService<RecognisedSession>().Unprotect(cookie)
            : null;
        context.Items[ItemsKey] = key;
        return key;
    }

    /// <summary>A stable, non-secret name of the session (a hash: limiter keys are visible to anyone who can list Redis keys).</summary>
    public static string? IdOf(HttpContext context) =>
        KeyOf(context) is { } key ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..24] : null;

    // The middleware's own decoding, step for step (its CookieProtection): pad as it pads, then base64 (which skips
    // whitespace) and unprotect. Whatever it would accept as a session we accept, and nothing else.
    internal string? Unprotect(string cookie)
    {
        try
        {
            var padding = 3 - ((cookie.Length + 3) % 4);
            var padded = padding == 0 ? cookie : cookie + new string('=', padding);
            var key = Encoding.UTF8.GetString(_protector.Unprotect(Convert.FromBase64String(padded)));
            return key.Length == SessionKeyLength ? key : null;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return null;
        }
    }
}
