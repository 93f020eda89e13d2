using Shop.Catalog.Api.Api;

namespace Shop.Catalog.Api.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedis();
        builder.AddCatalogDatabase();
        builder.AddCatalogOutputCache();
        builder.AddCatalogRateLimiting();

        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, CatalogJsonContext.Default));
        return builder;
    }
}
