using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Shop.Testing;

namespace Shop.Cart.Api.Tests;

/// <summary>
/// Cart.Api in memory, wired like the AppHost wires it: Redis connection string <c>cache</c>, the catalog found
/// by service discovery (<c>services:catalog-api:http:0</c>), the token keys from configuration. Each factory
/// gets its own multiplexer (AddRedisClient creates one per service provider).
/// </summary>
public sealed class CartApiFactory(string redisConnectionString, string catalogUrl) : WebApplicationFactory<CartApiAssembly>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("ConnectionStrings:cache", redisConnectionString);
        builder.UseSetting("services:catalog-api:http:0", catalogUrl);
        foreach (var (key, value) in TestSecrets.ServiceSettings)
        {
            builder.UseSetting(key, value);
        }
        // The contract tests write one cart dozens of times at once; the cart-write limit is proven in
        // CartWriteRateLimitTests, so here the bucket is wired but large enough not to interfere.
        builder.UseSetting("RateLimiting:Policies:cart-write:TokenLimit", "100000");
        builder.ConfigureServices(services =>
            // Keep the retry behaviour (and its method filter) but not its seconds-long back-off.
            services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.FromMilliseconds(10)));
    }
}

public static class StorefrontClients
{
    /// <summary>
    /// A client that calls as the storefront does: every <c>/api/carts/{cartId}</c> request carries a Cart token naming
    /// that cart, unless the test sets its own <c>Authorization</c> (an order, a merge, a wrong token). <see
    /// cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> is the caller with no token at all.
    /// </summary>
    public static HttpClient CreateStorefrontClient(this WebApplicationFactory<CartApiAssembly> factory) =>
        factory.CreateDefaultClient(new CartTokenHandler());
}
