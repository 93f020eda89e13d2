using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Cart.Api.Http;

/// <summary>
/// Which cart the caller may touch: the one the storefront's token names (<see cref="ServiceTokens.CartClaim"/>), never
/// the one the URL names. Signed-in cart ids are <c>u-{user}</c>, which anyone can guess; the token's signature is
/// what nobody but the storefront can make.
/// </summary>
internal static class CartOwnership
{
    public static string? TokenCart(this ClaimsPrincipal user) => user.FindFirst(ServiceTokens.CartClaim)?.Value;

    public static string? TokenMergeFrom(this ClaimsPrincipal user) => user.FindFirst(ServiceTokens.MergeFromClaim)?.Value;

    /// <summary>True when the authenticated caller's token names exactly <paramref name="cartId"/> (compared as sent).</summary>
    public static bool MayTouch(this ClaimsPrincipal user, string? cartId) =>
        user.Identity?.IsAuthenticated == true && cartId is not null && string.Equals(user.TokenCart(), cartId, StringComparison.Ordinal);

    public static async ValueTask<object?> RequireTokenForRouteCart(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        return http.User.MayTouch(http.Request.RouteValues["cartId"] as string)
            ? await next(context)
            : Forbidden();
    }

    public static ProblemHttpResult Forbidden() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden,
        title: "Not your cart", detail: "The token does not name this cart.");
}
