namespace Shop.Web.Frontend.Sessions;

/// <summary>
/// The storefront's cookies. All share the <c>.shop.</c> prefix so "does this request carry any of ours?" is one
/// test, made case-insensitively: ASP.NET finds a cookie whatever its case (<c>.SHOP.SESSION</c> loads the session),
/// so a case-sensitive test would call such a request cookieless and could cache what it renders for everyone.
/// </summary>
public static class StorefrontCookies
{
    public const string Prefix = ".shop.";
    public const string Session = ".shop.session";
    public const string Authentication = ".shop.auth";
    public const string Antiforgery = ".shop.af";

    public static bool CarriesAny(HttpRequest request)
    {
        foreach (var cookie in request.Cookies)
        {
            if (cookie.Key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }
}
