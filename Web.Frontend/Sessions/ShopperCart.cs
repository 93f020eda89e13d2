using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.Features;
using Shop.Web.Frontend.Authentication;

namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// Which cart the current shopper owns. Signed in: <c>u-{userId}</c>, needing no session at all.
/// Anonymous: <c>a-{32 hex}</c> kept in the session, created on the first add. The cart itself lives in
/// Cart.Api (an atomic Redis hash), never in the session blob, whose writes are last-write-wins.
/// </summary>
public static class ShopperCart
{
    public const string SessionKey = "cartId";

    public static string UserCartId(string userId) => $"u-{userId}";

    /// <summary>
    /// The shopper's cart id, or null when an anonymous shopper has none yet (and <paramref name="create"/> is false).
    /// Loads the session asynchronously: a Redis failure throws (and becomes the 503 page) instead of
    /// silently looking like an empty cart.
    /// </summary>
    public static async Task<string?> GetCartIdAsync(HttpContext context, bool create)
    {
        if (context.User.GetUserId() is { } userId)
        {
            return UserCartId(userId);
        }
        if (context.Features.Get<ISessionFeature>()?.Session is not { } session)
        {
            return null;
        }
        await session.LoadAsync(context.RequestAborted);
        var cartId = session.GetString(SessionKey);
        if (cartId is null && create)
        {
            cartId = NewAnonymousCartId();
            session.SetString(SessionKey, cartId);
            // Commit now rather than at the end of the request, where the middleware only logs a failure:
            // a cart id that never reached Redis would silently lose the shopper's cart.
            await session.CommitAsync(context.RequestAborted);
        }
        return cartId;
    }

    public static string NewAnonymousCartId() => "a-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
