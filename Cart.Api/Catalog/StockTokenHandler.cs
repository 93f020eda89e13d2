using System.Net.Http.Headers;

namespace Shop.Cart.Api.Catalog;

/// <summary>
/// Adds a Stock token (<see cref="ServiceTokens.Stock"/>, signed with a key only Cart.Api and Catalog.Api hold) to
/// every catalog call, so Catalog.Api reserves and releases stock for Cart.Api alone, and the token never appears in
/// the client interface or in a caller's code. Reads are public; the token does no harm on them.
/// </summary>
internal sealed class StockTokenHandler(ServiceTokenIssuer tokens) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            tokens.Issue("cart-api", (ServiceTokens.ScopeClaim, "stock")));
        return base.SendAsync(request, cancellationToken);
    }
}
