using Microsoft.Extensions.Configuration;

namespace Shop.Cart.Api.Catalog;

/// <summary>
/// Adds the catalog's admin key (<c>Catalog:AdminApiKey</c>, set by the AppHost from its secret parameter) to
/// every catalog call, so the key never appears in the client interface or in a caller's code.
/// </summary>
internal sealed class CatalogApiKeyHandler(IConfiguration configuration) : DelegatingHandler
{
    public const string HeaderName = "X-Api-Key";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (configuration["Catalog:AdminApiKey"] is { Length: > 0 } key)
        {
            request.Headers.Remove(HeaderName);
            request.Headers.Add(HeaderName, key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
