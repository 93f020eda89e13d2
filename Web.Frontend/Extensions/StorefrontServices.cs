using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Refit;
using Shop.Web.Frontend.Accounts;
using Shop.Web.Frontend.Authentication;
using Shop.Web.Frontend.Caching;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Security;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

/// <summary>
/// Every service the storefront uses, in the order a request meets them. Each Redis-backed pattern gets the
/// process's one multiplexer; each has a DEMONSTRATION baseline (<see cref="BaselineExtensions"/>) that puts
/// its state back into this replica's memory, for the benchmark to show what that breaks.
/// </summary>
public static class StorefrontServices
{
    public const string ApplicationName = "Shop";
    public const string CatalogBaseAddress = "http://catalog-api";
    public const string CartBaseAddress = "http://cart-api";

    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedisClient();
        builder.AddSharedDataProtection();
        builder.AddStorefrontSessions();
        builder.AddRedisTicketAuthentication();
        // Only the policy that refuses every request with a Shop cookie: nothing is cached unless an endpoint opts in.
        builder.AddShopOutputCache(options => options.AddPolicy(AnonymousCatalogCachePolicy.Name, new AnonymousCatalogCachePolicy()));
        builder.AddServiceClients();
        builder.AddStorefrontPages();
        builder.AddStorefrontRateLimits();
        return builder;
    }

    /// <summary>
    /// One key ring for every replica (<c>shop:dp-keys</c>) and one application name, so a cookie or antiforgery
    /// token protected by one replica is read by all. The repository is the equivalent of
    /// <c>PersistKeysToStackExchangeRedis(mux, "shop:dp-keys")</c>, configured from DI because the one multiplexer
    /// only exists once the container is built. <see cref="KeyRingBootstrapper"/> creates the first key under a lock.
    /// </summary>
    private static void AddSharedDataProtection(this IHostApplicationBuilder builder)
    {
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        if (builder.IsBaselineOn(BaselineExtensions.InProcessSession,
                "the Data Protection key ring is in this replica's memory, so other replicas reject its cookies and antiforgery tokens."))
        {
            dataProtection.UseEphemeralDataProtectionProvider();
            return;
        }
        // The keys are encrypted at rest with the AppHost's certificate: the ring sits in Redis and in Redis' files on
        // disk, and a master key readable there let anyone who could read those files forge a sign-in cookie.
        var certificate = KeyRingCertificate.From(builder.Configuration);
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
        {
            var redis = services.GetShopRedis();
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), FrontendRedisKeys.DataProtectionKeys);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<KeyRingBootstrapper>();
    }

    /// <summary>
    /// ASP.NET Core session over the Redis IDistributedCache, so any replica reads the session another replica
    /// wrote; run only where needed (<see cref="ScopedSession"/>). Idle timeout <c>Session:IdleTimeout</c>.
    /// </summary>
    private static void AddStorefrontSessions(this IHostApplicationBuilder builder)
    {
        if (builder.IsBaselineOn(BaselineExtensions.InProcessSession,
                "sessions live in this replica's memory, so a shopper's cart id is unknown to the other replicas."))
        {
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
            // The session's cache skips a Redis that stalled a moment ago, and the refresh of a session the request
            // has just read (StallAwareSessionStore).
            builder.Services.AddHttpContextAccessor();
            builder.Services.DecorateLast<IDistributedCache>((services, redisCache) => new StallAwareSessionStore(
                redisCache, services.GetRequiredService<RedisAvailability>(), services.GetRequiredService<IHttpContextAccessor>()));
        }
        var idle = builder.Configuration.GetValue<TimeSpan?>("Session:IdleTimeout")
            ?? throw new InvalidOperationException("Session:IdleTimeout is not configured.");
        builder.Services.AddSingleton<RecognisedSession>();
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
    }

    /// <summary>
    /// Cookie sign-in whose ticket lives in Redis (<see cref="RedisTicketStore"/>). Lifetime
    /// <c>Authentication:TicketLifetime</c>, sliding; the cookie is persistent with the same expiry, so the Redis
    /// TTL (= ticket expiry) is never shorter than the cookie.
    /// </summary>
    private static void AddRedisTicketAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.Section);
        builder.Services.AddSingleton<AccountVerifier>();
        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<RedisTicketStore>();

        var lifetime = builder.Configuration.GetValue<TimeSpan?>("Authentication:TicketLifetime")
            ?? throw new InvalidOperationException("Authentication:TicketLifetime is not configured.");
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
        var cookieOptions = builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme);
        if (builder.IsBaselineOn(BaselineExtensions.InProcessSession,
                "sign-in tickets live in this replica's memory, so the shopper is anonymous on the other replicas."))
        {
            cookieOptions.Configure<IMemoryCache>((options, cache) => options.SessionStore = new InMemoryBaselineTicketStore(cache));
        }
        else
        {
            cookieOptions.Configure<RedisTicketStore>((options, store) => options.SessionStore = store);
        }
        builder.Services.AddAuthorization();
    }

    /// <summary>
    /// While Redis is down the ticket cannot be read, so a signed-in shopper looks anonymous
    /// (<see cref="RedisTicketStore.UnavailableItem"/>). A page that needs the sign-in (checkout, orders, devices)
    /// then answers 503 — the friendly "temporarily unavailable" page — instead of asking the shopper to sign in
    /// again, which could not work either. Otherwise the redirect to the sign-in page is made relative: the
    /// library builds an absolute URL from the request's Host header, which any client can set, so a forged Host
    /// chose where the Location pointed.
    /// </summary>
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> RedirectToLoginUnlessTicketsAreUnavailable(
        Func<RedirectContext<CookieAuthenticationOptions>, Task> redirect) => context =>
    {
        if (context.HttpContext.Items.ContainsKey(RedisTicketStore.UnavailableItem))
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        }
        if (Uri.TryCreate(context.RedirectUri, UriKind.Absolute, out var absolute))
        {
            context.RedirectUri = absolute.PathAndQuery;
        }
        return redirect(context);
    };

    /// <summary>
    /// Catalog.Api and Cart.Api through Refit's build-time generated clients over the service-discovered names,
    /// with source-generated JSON (Refit 16's <c>AddRefitClient</c> builds requests by reflection and needs the
    /// separate Refit.Reflection package). ServiceDefaults adds discovery and the standard resilience handler to
    /// every HttpClient; catalog calls from the storefront are all reads, so retrying them is safe. Cart writes
    /// are not idempotent: a retried "add one" whose first attempt reached Cart.Api (a timeout, a lost response)
    /// would add two. So the cart client retries only safe methods; checkout carries its own Idempotency-Key. Every
    /// cart call carries a token naming the shopper's cart (<see cref="CartTokens"/>).
    /// </summary>
    private static void AddServiceClients(this IHostApplicationBuilder builder)
    {
        builder.AddServiceTokenIssuer(ServiceTokens.Cart);
        builder.Services.AddSingleton<CartTokens>();
        builder.Services.AddRefitGeneratedClient<ICatalogApi>(StorefrontJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CatalogBaseAddress));
        // What rendered pages read of the catalog, from the shared Redis store first (tag-evicted with the catalog's own entries).
        builder.Services.AddScoped<CatalogReads>();
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace a handler that
        // ConfigureHttpClientDefaults added.
#pragma warning disable EXTEXP0001
        builder.Services.AddRefitGeneratedClient<ICartApi>(StorefrontJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CartBaseAddress))
            .RemoveAllResilienceHandlers()
            // Not the ServiceCalls budgets: an add answers the whole cart, each line looked up in the catalog, and
            // under load (64 shoppers on two cores) that took longer than 2.5 s; a timed-out add is a lost add.
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
    }

    /// <summary>
    /// Razor Pages with routes in lower case, and antiforgery tokens bound to the session that rendered them
    /// (<see cref="SessionBoundAntiforgery"/>) with a cookie named like our other cookies.
    /// </summary>
    private static void AddStorefrontPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRazorPages();
        builder.Services.AddRouting(options => options.LowercaseUrls = true);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Antiforgery.IAntiforgeryAdditionalDataProvider, SessionBoundAntiforgery>();
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = StorefrontCookies.Antiforgery;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // We send X-Frame-Options: DENY ourselves, on every response.
            options.SuppressXFrameOptionsHeader = true;
        });
    }
}
