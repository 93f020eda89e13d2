using Microsoft.Extensions.Http.Resilience;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Extensions;

public static class ApiClientExtensions
{
    public const string CatalogBaseAddress = "http://catalog-api";
    public const string CartBaseAddress = "http://cart-api";

    /// <summary>
    /// Refit's build-time generated client over the service-discovered name, with source-generated JSON
    /// (Refit 16's <c>AddRefitClient</c> builds requests by reflection and needs the separate Refit.Reflection
    /// package). ServiceDefaults adds discovery and the standard resilience handler to every HttpClient; catalog
    /// calls from the storefront are all reads, so retrying them is safe.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogClient(this IHostApplicationBuilder builder)
    {
        builder.Services.AddRefitGeneratedClient<ICatalogApi>(StorefrontJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CatalogBaseAddress));
        return builder;
    }

    /// <summary>
    /// Cart writes are not idempotent: a retried "add one" whose first attempt reached Cart.Api (a timeout, a
    /// lost response) would add two. So this client replaces the default handler with one that retries only
    /// safe methods; checkout carries its own Idempotency-Key.
    /// </summary>
    public static IHostApplicationBuilder AddCartClient(this IHostApplicationBuilder builder)
    {
        // RemoveAllResilienceHandlers is marked experimental; it is the documented way to replace a handler that
        // ConfigureHttpClientDefaults added.
#pragma warning disable EXTEXP0001
        builder.Services.AddRefitGeneratedClient<ICartApi>(StorefrontJsonContext.Default)
            .ConfigureHttpClient(http => http.BaseAddress = new Uri(CartBaseAddress))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
#pragma warning restore EXTEXP0001
        return builder;
    }
}
