using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Web.Frontend.Accounts;
using Shop.Web.Frontend.RateLimiting;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

/// <summary>
/// The storefront's limits, counted in Redis so a limit of N is N across every replica (ASP.NET Core's own
/// limiters count per process: three replicas would admit three times the limit). Defaults live in
/// appsettings.json under <c>RateLimiting:Policies:{policy}</c>; the AppHost's <c>RateLimiting</c> section
/// overrides them for every replica alike.
/// </summary>
public static class StorefrontRateLimitingExtensions
{
    /// <summary>Sliding window per shopper on every page and product image (not sign-in, not /error).</summary>
    public const string Browse = "browse";

    /// <summary>Fixed window per client address on sign-in POSTs (GETs of the form are free).</summary>
    public const string SignInClient = "sign-in-client";

    /// <summary>Fixed window per account name, checked in the sign-in handler (<see cref="SignInAttemptLimiter"/>).</summary>
    public const string SignIn = SignInAttemptLimiter.Policy;

    /// <summary>Token bucket per cart on the cart and checkout POSTs (<see cref="CartWriteLimitFilter"/>).</summary>
    public const string CartWrite = CartWriteLimitFilter.Policy;

    public static IHostApplicationBuilder AddStorefrontRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.AddShopRateLimiting(policies => policies
            // The shopper: the user when signed in (one budget on every device), else the session cookie, else
            // the client address (forwarded headers are honoured only from the loopback proxy, see the pipeline).
            // Browsing may be approximate while Redis is down; it must not fail.
            .AddSlidingWindow(Browse, context => RateLimitPartitions.Shopper(context, StorefrontCookies.Session),
                new SlidingWindowPolicyOptions { PermitLimit = 300, Window = TimeSpan.FromMinutes(1) })
            // Sign-in limits protect accounts, so they fail closed: a per-replica count during an outage would
            // multiply an attacker's budget by the replica count.
            .AddFixedWindow(SignInClient, context => HttpMethods.IsPost(context.Request.Method) ? RateLimitPartitions.ClientIp(context) : null,
                new FixedWindowPolicyOptions
                {
                    PermitLimit = 20, Window = TimeSpan.FromMinutes(5), OnRedisFailure = RedisFailureMode.FailClosed,
                })
            .AddFixedWindow(SignIn, new FixedWindowPolicyOptions
            {
                PermitLimit = 5, Window = TimeSpan.FromMinutes(5), OnRedisFailure = RedisFailureMode.FailClosed,
            })
            .AddTokenBucket(CartWrite, new TokenBucketPolicyOptions
            {
                TokenLimit = 20, TokensPerPeriod = 5, ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            })
            // An empty body: the status-code page (/error) renders the friendly 429 (or the sign-in 503) from
            // the Retry-After header and keeps what the shopper typed.
            .WriteRejectionsWith((_, _, _) => ValueTask.FromResult(true)));

        builder.Services.AddSingleton<SignInAttemptLimiter>();
        builder.Services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AddPageApplicationModelConvention("/Cart/Index", page => page.Filters.Add(new CartWriteLimitFilter()));
            options.Conventions.AddPageApplicationModelConvention("/Checkout/Index", page => page.Filters.Add(new CartWriteLimitFilter()));
        });
        return builder;
    }

    /// <summary>Puts every page and image under <c>browse</c> and the sign-in page under <c>sign-in-client</c>.</summary>
    public static StorefrontEndpointConventions RequireStorefrontRateLimits(this StorefrontEndpointConventions storefront)
    {
        storefront.Browse.RequireRateLimiting(Browse);
        storefront.SignIn.RequireRateLimiting(SignInClient);
        return storefront;
    }
}
