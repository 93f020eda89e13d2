using Microsoft.AspNetCore.Authentication.Cookies;
using Shop.Web.Frontend.Accounts;
using Shop.Web.Frontend.Authentication;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

public static class AuthenticationExtensions
{
    /// <summary>
    /// Cookie sign-in whose ticket lives in Redis (<see cref="RedisTicketStore"/>). Lifetime
    /// <c>Authentication:TicketLifetime</c> (default 8 h), sliding; the cookie is persistent with the same
    /// expiry, so the Redis TTL (= ticket expiry) is never shorter than the cookie.
    /// </summary>
    public static IHostApplicationBuilder AddRedisTicketAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section);
        builder.Services.AddSingleton<AccountVerifier>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<RedisTicketStore>();

        var lifetime = builder.Configuration.GetValue("Authentication:TicketLifetime", TimeSpan.FromHours(8));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = StorefrontCookies.Authentication;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.ExpireTimeSpan = lifetime;
                options.SlidingExpiration = true;
                options.LoginPath = "/account/login";
                options.LogoutPath = "/account/logout";
                options.AccessDeniedPath = "/account/login";
                options.ReturnUrlParameter = "returnUrl";
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<RedisTicketStore>((options, store) => options.SessionStore = store);
        builder.Services.AddAuthorization();
        return builder;
    }
}
