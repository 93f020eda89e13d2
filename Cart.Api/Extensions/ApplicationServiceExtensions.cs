using Shop.Cart.Api.Catalog;
using Shop.Cart.Api.Http;

namespace Shop.Cart.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedis();
        builder.AddCatalogClient();
        builder.AddCartStore();
        builder.AddCartRateLimiting();
        builder.AddServiceUnavailableProblems();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CartJsonContext.Default));
        return builder;
    }

    /// <summary>Carts, orders and checkout, all state in Redis so any replica can serve any request.</summary>
    public static IHostApplicationBuilder AddCartStore(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CartOptions>().BindConfiguration(CartOptions.SectionName);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CartMetrics>();
        builder.Services.AddSingleton<CartStore>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<IdempotencyClaims>();
        builder.Services.AddScoped<CartViewBuilder>();
        builder.Services.AddScoped<CheckoutService>();
        return builder;
    }

    /// <summary>ProblemDetails for every error, and 503 (not 500) when Redis or the catalog is down.</summary>
    public static IHostApplicationBuilder AddServiceUnavailableProblems(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ServiceUnavailableExceptionHandler>();
        return builder;
    }
}
