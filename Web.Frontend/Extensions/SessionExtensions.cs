using Microsoft.Extensions.Caching.StackExchangeRedis;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

public static class SessionExtensions
{
    /// <summary>
    /// ASP.NET Core session over the Redis IDistributedCache, on the process's one multiplexer, so any
    /// replica reads the session another replica wrote. Idle timeout: <c>Session:IdleTimeout</c> (default 30 min).
    /// </summary>
    public static IHostApplicationBuilder AddStorefrontSessions(this IHostApplicationBuilder builder)
    {
        if (builder.IsBaselineOn(BaselineExtensions.InProcessSession,
                "sessions live in this replica's memory, so a shopper's cart id is unknown to the other replicas."))
        {
            // DEMONSTRATION baseline (bench/Shop.Bench): the framework's default, a per-process cache.
            builder.Services.AddDistributedMemoryCache();
        }
        else
        {
            builder.Services.AddStackExchangeRedisCache(_ => { });
            builder.Services.AddOptions<RedisCacheOptions>().Configure<IServiceProvider>((options, services) =>
            {
                options.InstanceName = FrontendRedisKeys.SessionInstanceName;
                options.ConnectionMultiplexerFactory = () => Task.FromResult(services.GetShopRedis());
            });
        }

        var idle = builder.Configuration.GetValue("Session:IdleTimeout", TimeSpan.FromMinutes(30));
        builder.Services.AddSession(options =>
        {
            options.IdleTimeout = idle;
            options.Cookie.Name = StorefrontCookies.Session;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // The cart id is functional state the shopper asked for, not tracking.
            options.Cookie.IsEssential = true;
        });
        return builder;
    }

    /// <summary>
    /// Runs the session middleware only for endpoints marked <see cref="RequiresSessionAttribute"/> or for
    /// requests that already carry a session cookie (so the header badge can count an anonymous cart).
    /// A global UseSession() would cost a Redis round trip on every request, cookie or not, and with Redis
    /// down would slow every catalog page to the connect timeout (shared/design.md).
    /// </summary>
    public static IApplicationBuilder UseScopedSession(this IApplicationBuilder app) =>
        app.UseWhen(NeedsSession, branch => branch.UseSession());

    internal static bool NeedsSession(HttpContext context) =>
        context.Request.Cookies.ContainsKey(StorefrontCookies.Session)
        || context.GetEndpoint()?.Metadata.GetMetadata<RequiresSessionAttribute>() is not null;
}
