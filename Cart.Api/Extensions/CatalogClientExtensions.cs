using Microsoft.Extensions.Http.Resilience;
using Refit;
using Shop.Cart.Api.Catalog;

namespace Shop.Cart.Api.Extensions;

public static class CatalogClientExtensions
{
    /// <summary>
    /// The Refit client for Catalog.Api, found through service discovery (<c>http://catalog-api</c>). It is the
    /// build-time generated implementation with source-generated JSON (Refit 16's <c>AddRefitClient</c> builds
    /// requests by reflection and would need the separate Refit.Reflection package).
    /// ServiceDefaults gives every HttpClient a standard resilience handler that retries any method; a retried
    /// stock reservation whose first attempt did reach the catalog (a timeout, a lost response) would reserve
    /// twice. So this client replaces it with one that retries only safe methods: item reads are retried,
    /// reserve/release are not.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddTransient<CatalogApiKeyHandler>();
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace a handler that
        // ConfigureHttpClientDefaults added.
#pragma warning disable EXTEXP0001
        builder.Services.AddRefitGeneratedClient<ICatalogClient>(CatalogJsonContext.Default)
            .ConfigureHttpClient(client => client.BaseAddress = new("http://catalog-api"))
            .AddHttpMessageHandler<CatalogApiKeyHandler>()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
        builder.Services.AddScoped<CatalogGateway>();
        return builder;
    }
}
