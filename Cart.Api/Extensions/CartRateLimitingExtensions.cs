using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Cart.Api.Extensions;

/// <summary>
/// Cart.Api's limit, counted in Redis so it holds across every replica: a token bucket per cart on every
/// write (POST/PUT/DELETE under <c>/api/carts/{cartId}</c>, merge and checkout included). Reads are free.
/// Defaults in appsettings.json under <c>RateLimiting:Policies:cart-write</c>; the AppHost overrides them.
/// </summary>
public static class CartRateLimitingExtensions
{
    public const string CartWrite = "cart-write";

    public static IHostApplicationBuilder AddCartRateLimiting(this IHostApplicationBuilder builder)
    {
        builder.AddShopRateLimiting(policies => policies
            // A bucket suits carts: a shopper adds a few things in a burst, then nothing for a while. Writes
            // may be approximate during a Redis outage (each replica counts alone) rather than refused,
            // though with Redis down the cart itself is unavailable anyway.
            .AddTokenBucket(CartWrite, CartPartition, new TokenBucketPolicyOptions
            {
                TokenLimit = 20, TokensPerPeriod = 5, ReplenishmentPeriod = TimeSpan.FromSeconds(10),
            }));
        return builder;
    }

    // The policy name is prefixed to the key (rl:tb:{cart-write:cart:u-alice}); the storefront's own
    // cart-write bucket is keyed by shopper (user:/cookie:), so the two never spend each other's tokens.
    // An invalid cart id is not limited: the handler answers 400 before writing, and arbitrary route text
    // stays out of the Redis keyspace.
    private static string? CartPartition(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
        && CartId.TryParse(context.Request.RouteValues["cartId"] as string, out var cartId)
            ? "cart:" + cartId.Value
            : null;
}
