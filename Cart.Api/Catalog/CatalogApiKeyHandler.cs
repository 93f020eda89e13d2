using Microsoft.Extensions.Configuration;

namespace Shop.Cart.Api.Catalog;

/// <summary>
/// Adds the admin key (<c>Admin:ApiKey</c>, set by the AppHost from its secret parameter) to every catalog call,
/// so the key never appears in the client interface or in a caller's code.
/// </summary>
internal sealed class CatalogApiKeyHandler(IConfiguration configuration) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (configuration[AdminApiKey.ConfigurationKey] is { Length: > 0 } key)
        {
            request.Headers.Remove(AdminApiKey.HeaderName);
            request.Headers.Add(AdminApiKey.HeaderName, key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
