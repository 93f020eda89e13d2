using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedis();
        builder.AddSharedDataProtection();
        builder.AddStorefrontSessions();
        builder.AddRedisTicketAuthentication();
        builder.AddStorefrontOutputCache();
        builder.AddCatalogClient();
        builder.AddCartClient();
        builder.AddStorefrontPages();
        builder.AddStorefrontRateLimiting();
        return builder;
    }

    /// <summary>Razor Pages with routes in lower case and an antiforgery cookie named like our other cookies.</summary>
    public static IHostApplicationBuilder AddStorefrontPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddRouting(options => options.LowercaseUrls = true);
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = StorefrontCookies.Antiforgery;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // We send X-Frame-Options: DENY ourselves, on every response.
            options.SuppressXFrameOptionsHeader = true;
        });
        return builder;
    }
}
