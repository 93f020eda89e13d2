using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.RateLimiting;
using Shop.Web.Frontend.Accounts;
using Shop.Web.Frontend.Sessions;

namespace Shop.Web.Frontend.Extensions;

/// <summary>
/// The storefront's four limits and where each attaches, counted in Redis so a limit of N is N across every
/// replica (ASP.NET Core's own limiters count per process: three replicas would admit three times the limit).
/// The numbers live in appsettings.json under <c>RateLimiting:Policies:{policy}</c>; the AppHost's
/// <c>RateLimiting</c> section overrides them for every replica alike.
/// <list type="table">
/// <item><term><see cref="Browse"/></term><description>every page but sign-in and the error page, and every
/// product image; per shopper. Static files, <c>/health</c> and <c>/alive</c> carry no policy.</description></item>
/// <item><term><see cref="SignInClient"/></term><description>the sign-in page's POSTs, per client address.</description></item>
/// <item><term><see cref="SignIn"/></term><description>checked in the sign-in handler, per account
/// (<see cref="SignInAttemptLimiter"/>).</description></item>
/// <item><term><see cref="CartWrite"/></term><description>the cart and checkout POSTs, per cart
/// (<see cref="CartWriteLimitFilter"/>).</description></item>
/// </list>
/// A rejection leaves the body empty: the status-code page (/error) renders the friendly 429 (or the sign-in 503)
/// from the Retry-After header and keeps what the shopper typed.
/// </summary>
public static class StorefrontRateLimits
{
    public const string Browse = "browse";
    public const string SignInClient = "sign-in-client";
    public const string SignIn = "sign-in";
    public const string CartWrite = "cart-write";

    private const string SignInPage = "/Account/Login";

    /// <summary>
    /// The error page is re-executed by the status-code pages for a rejected request: limiting it would reject the
    /// rejection page itself and leave the shopper an empty 429.
    /// </summary>
    private const string ErrorPage = "/Error";

    public static IHostApplicationBuilder AddStorefrontRateLimits(this IHostApplicationBuilder builder)
    {
        builder.AddShopRateLimiting(policies => policies
            // The shopper: the user when signed in (one budget on every device), else a session the server issued
            // (RecognisedSession: an invented cookie is no session, so no fresh budget), else the client address
            // (as the gateway forwarded it). Browsing may be approximate while Redis is down; it must not fail.
            .Add(Browse, RateLimitAlgorithm.SlidingWindow, context => RateLimitPartitions.Shopper(context, RecognisedSession.IdOf(context)))
            // Sign-in limits protect accounts, so they fail closed: a per-replica count during an outage would
            // multiply an attacker's budget by the replica count.
            .Add(SignInClient, RateLimitAlgorithm.FixedWindow,
                context => HttpMethods.IsPost(context.Request.Method) ? RateLimitPartitions.ClientIp(context) : null,
                RedisFailureMode.FailClosed)
            .Add(SignIn, RateLimitAlgorithm.FixedWindow, onRedisFailure: RedisFailureMode.FailClosed)
            .Add(CartWrite, RateLimitAlgorithm.TokenBucket)
            .WriteRejectionsWith((_, _, _) => ValueTask.FromResult(true)));

        builder.Services.AddSingleton<SignInAttemptLimiter>();
        builder.Services.Configure<RazorPagesOptions>(options =>
        {
            options.Conventions.AddFolderApplicationModelConvention("/", page =>
            {
                if (page.ViewEnginePath == SignInPage)
                {
                    page.EndpointMetadata.Add(new EnableRateLimitingAttribute(SignInClient));
                }
                else if (page.ViewEnginePath != ErrorPage)
                {
                    page.EndpointMetadata.Add(new EnableRateLimitingAttribute(Browse));
                }
            });
            options.Conventions.AddPageApplicationModelConvention("/Cart/Index", page => page.Filters.Add(new CartWriteLimitFilter()));
            options.Conventions.AddPageApplicationModelConvention("/Cart/Add", page => page.Filters.Add(new CartWriteLimitFilter()));
            options.Conventions.AddPageApplicationModelConvention("/Checkout/Index", page => page.Filters.Add(new CartWriteLimitFilter()));
        });
        return builder;
    }

    /// <summary>The product images are endpoints of their own (not pages): they browse like pages.</summary>
    public static TBuilder RequireBrowseLimit<TBuilder>(this TBuilder endpoint) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireRateLimiting(Browse);
}

/// <summary>
/// Brute-force protection per account name: at most <c>RateLimiting:Policies:sign-in</c> attempts per window for
/// one account, counted in Redis, so an attacker who spreads guesses over every replica (or over many addresses)
/// still gets that many in total. The endpoint policy <c>sign-in-client</c> limits each client; a rate-limit
/// policy partitions a request one way only, so this second limit is checked in the handler. It runs BEFORE the
/// password is verified and counts every attempt, right or wrong: a blocked attempt then looks the same whether
/// the password was right or not, and costs no PBKDF2 work. Fails closed (see the policy above).
/// </summary>
public sealed class SignInAttemptLimiter(ShopRateLimiter limiter, IOptionsMonitor<AccountOptions> accounts)
{
    /// <summary>Longer names are never accounts (user ids are at most 64 characters), so they are not counted.</summary>
    private const int MaxUserNameLength = 64;

    /// <summary>Null when the attempt may go ahead; otherwise the rejection to answer with.</summary>
    public ValueTask<RateLimitRejection?> TryAcquireAsync(string? userName, CancellationToken cancellationToken) =>
        AccountKey(userName) is { } account
            ? limiter.TryAcquireAsync(StorefrontRateLimits.SignIn, RateLimitPartitions.Account(account), cancellationToken)
            : ValueTask.FromResult<RateLimitRejection?>(null);

    // Every spelling the verifier accepts for an account ("Alice ", "ALICE") must land on that account's counter,
    // so known names are mapped with the verifier's own comparison; unknown names are still counted (per
    // spelling), which keeps "is this an account?" unanswerable from the limiter's behaviour.
    private string? AccountKey(string? userName)
    {
        var name = userName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxUserNameLength)
        {
            return null;
        }
        return accounts.CurrentValue.Users.FirstOrDefault(
            u => string.Equals(u.UserId, name, StringComparison.OrdinalIgnoreCase))?.UserId ?? name;
    }
}

/// <summary>
/// The <c>cart-write</c> token bucket on the POST handlers of the cart and checkout pages. Those pages are already
/// under <c>browse</c> (one policy per endpoint), so this second limit is a page filter. It runs after antiforgery
/// validation (where the page has it), so only genuine form posts spend tokens. A shopper owns exactly one cart
/// (<c>u-{user}</c>, or the one their session names), so partitioning by shopper is partitioning by cart, without
/// loading the session first. A visitor with no session the server issued counts as its address: inventing a
/// cookie per request buys no fresh bucket, so one address creates at most a bucket's worth of carts per period.
/// </summary>
internal sealed class CartWriteLimitFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            var limiter = http.RequestServices.GetRequiredService<ShopRateLimiter>();
            var cart = RateLimitPartitions.Shopper(http, RecognisedSession.IdOf(http));
            if (await limiter.TryAcquireAsync(StorefrontRateLimits.CartWrite, cart, http.RequestAborted) is { } rejection)
            {
                ShopRateLimiter.Reject(http, rejection);
                // An empty 429 body: the status-code page renders it, keeping what the shopper posted.
                context.Result = new StatusCodeResult(rejection.StatusCode);
                return;
            }
        }
        await next();
    }
}
