using Microsoft.Extensions.Http.Resilience;
using Refit;
using Shop.Cart.Api.Catalog;
using Shop.Cart.Api.Http;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Cart.Api.Extensions;

public static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedisClient();
        // Only the storefront's tokens get in; Cart.Api signs its own for the catalog.
        builder.AddServiceTokenAuthentication(ServiceTokens.Cart);
        builder.AddServiceTokenIssuer(ServiceTokens.Stock);

        // Carts, orders and checkout: all state in Redis, so any replica can serve any request.
        builder.Services.AddOptions<CartOptions>().BindConfiguration(CartOptions.SectionName);
        builder.Services.AddOptions<CheckoutOptions>().BindConfiguration(CheckoutOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CartMetrics>();
        builder.Services.AddSingleton<CartStore>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<IdempotencyClaims>();
        builder.Services.AddSingleton<OpenReservations>();
        // Releases the stock of checkouts that never finished (see ReservationSweeper); one per replica.
        builder.Services.AddSingleton<ReservationSweeper>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ReservationSweeper>());
        builder.Services.AddScoped<CartViewBuilder>();
        builder.Services.AddScoped<CheckoutService>();
        builder.AddCatalogClient();

        // A bucket suits carts: a shopper adds a few things in a burst, then nothing for a while. Counted in Redis
        // per cart, so it holds across every replica; approximate during a Redis outage (each replica counts
        // alone) rather than refused, though with Redis down the cart itself is unavailable anyway.
        builder.AddShopRateLimiting(policies => policies.Add(CartApi.CartWritePolicy, RateLimitAlgorithm.TokenBucket, CartPartition));

        // ProblemDetails for every error, and 503 (not 500) when Redis or the catalog is down.
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ServiceUnavailableExceptionHandler>();
        builder.Services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityScheme>());
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CartJsonContext.Default));
        return builder;
    }

    /// <summary>
    /// The Refit client for Catalog.Api, found through service discovery (<c>http://catalog-api</c>). It is the
    /// build-time generated implementation with source-generated JSON (Refit 16's <c>AddRefitClient</c> builds
    /// requests by reflection and would need the separate Refit.Reflection package).
    /// ServiceDefaults gives every HttpClient a standard resilience handler that retries any method. This client
    /// replaces it with one that retries only safe methods: item reads are retried here, while reserve and release
    /// are retried by <see cref="CatalogGateway"/> itself, with the reservation id that makes a repeat harmless and
    /// a bound from configuration (<c>Checkout:ReserveAttempts</c>).
    /// </summary>
    private static void AddCatalogClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<StockTokenHandler>();
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace a handler that
        // ConfigureHttpClientDefaults added.
#pragma warning disable EXTEXP0001
        builder.Services.AddRefitGeneratedClient<ICatalogClient>(CatalogJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = new("http://catalog-api"))
            .AddHttpMessageHandler<StockTokenHandler>()
            .RemoveAllResilienceHandlers()
            .AddShopResilienceHandler(builder.Configuration, retryUnsafeMethods: false);
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<CatalogGateway>();
    }

    // The policy name is prefixed to the key (rl:tb:{cart-write:cart:u-alice}); the storefront's own cart-write
    // bucket is keyed by shopper (user:/cookie:), so the two never spend each other's tokens. Only a request whose
    // token names this very cart counts: junk without a valid token cannot drain a shopper's bucket (it is answered
    // 401/403 instead), and an invalid cart id is not limited either (it is a 400, and arbitrary route text stays out
    // of the Redis keyspace).
    private static string? CartPartition(HttpContext context) =>
        !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method)
        && context.Request.RouteValues["cartId"] is string routeCart && context.User.MayTouch(routeCart)
        && CartId.TryParse(routeCart, out var cartId)
            ? "cart:" + cartId.Value
            : null;
}
