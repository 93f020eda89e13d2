using System.Text.Json;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Extensions;

public static class ApiClientExtensions
{
    public const string CatalogBaseAddress = "http://catalog-api";
    public const string CartBaseAddress = "http://cart-api";

    /// <summary>
    /// Refit over the service-discovered name. ServiceDefaults already adds discovery and the standard
    /// resilience handler (retry, circuit breaker, timeouts) to every HttpClient.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRefitClient<ICatalogApi>(RefitSettings)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CatalogBaseAddress));
        return builder;
    }

    public static IHostApplicationBuilder AddCartClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRefitClient<ICartApi>(RefitSettings)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CartBaseAddress));
        return builder;
    }

    internal static readonly RefitSettings RefitSettings = new()
    {
        ContentSerializer = new SystemTextJsonContentSerializer(
            new JsonSerializerOptions(JsonSerializerDefaults.Web) { TypeInfoResolver = StorefrontJsonContext.Default }),
    };
}
