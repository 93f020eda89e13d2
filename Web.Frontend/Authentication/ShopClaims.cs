using System.Security.Claims;

namespace Shop.Web.Frontend.Authentication;

public static class ShopClaims
{
    /// <summary>The signed-in user's id (also the suffix of their cart id <c>u-{userId}</c>), or null when anonymous.</summary>
    public static string? GetUserId(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public static string DisplayName(this ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Name) ?? user.GetUserId() ?? "";
}
