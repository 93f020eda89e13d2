using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
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
                options.Events.OnRedirectToLogin = RedirectToLoginUnlessTicketsAreUnavailable(options.Events.OnRedirectToLogin);
            });
        var ticketsInMemory = builder.IsBaselineOn(BaselineExtensions.InProcessSession,
            "sign-in tickets live in this replica's memory, so the shopper is anonymous on the other replicas.");
        var cookieOptions = builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme);
        if (ticketsInMemory)
        {
            // DEMONSTRATION baseline (bench/Shop.Bench): tickets in a per-process cache.
            cookieOptions.Configure<IMemoryCache>((options, cache) => options.SessionStore = new InMemoryBaselineTicketStore(cache));
        }
        else
        {
            cookieOptions.Configure<RedisTicketStore>((options, store) => options.SessionStore = store);
        }
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// While Redis is down the ticket cannot be read, so a signed-in shopper looks anonymous
    /// (<see cref="RedisTicketStore.UnavailableItem"/>). A page that needs the sign-in (checkout, orders,
    /// devices) then answers 503 — the friendly "temporarily unavailable" page — instead of asking the shopper
    /// to sign in again, which could not work either.
    /// </summary>
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> RedirectToLoginUnlessTicketsAreUnavailable(
        Func<RedirectContext<CookieAuthenticationOptions>, Task> redirect) => context =>
    {
        if (context.HttpContext.Items.ContainsKey(RedisTicketStore.UnavailableItem))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
        return redirect(context);
    };
}
