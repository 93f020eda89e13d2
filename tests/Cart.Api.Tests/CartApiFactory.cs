using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
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
        // Checkout's own reserve/release retries, without the pause a shopper's checkout takes between them.
        builder.UseSetting("Checkout:RetryDelay", "00:00:00.010");
        builder.ConfigureServices(services =>
            // Keep the retry behaviour (and its method filter) but not its seconds-long back-off.
            services.ConfigureAll<HttpStandardResilienceOptions>(options => options.Retry.Delay = TimeSpan.FromMilliseconds(10)));
        // Innermost in every client's pipeline (added after the app's own handlers, resilience included): a lost
        // answer looks to Cart.Api exactly like one lost on the wire, after the catalog applied the call.
        builder.ConfigureTestServices(services =>
            services.ConfigureAll<HttpClientFactoryOptions>(options =>
                options.HttpMessageHandlerBuilderActions.Add(handlers => handlers.AdditionalHandlers.Add(new CatalogFaultHandler(Faults)))));
    }

    /// <summary>Faults injected between Cart.Api and the catalog; inert until a test arms them.</summary>
    public CatalogFaults Faults { get; } = new();
}

public enum LostAnswer
{
    /// <summary>The connection drops after the catalog answered: HttpRequestException.</summary>
    Dropped,

    /// <summary>The answer comes too late: HttpClient's timeout (TaskCanceledException over a TimeoutException).</summary>
    TimedOut,
}

/// <summary>What <see cref="CatalogFaultHandler"/> does to the next catalog calls.</summary>
public sealed class CatalogFaults
{
    private readonly object _lock = new();
    private int _toLose;
    private int? _productId;

    public LostAnswer Kind { get; private set; }

    /// <summary>Runs after a reserve's answer arrived, before Cart.Api sees it: the moment between reserve and commit.</summary>
    public Func<Task>? AfterReserveAnswered { get; set; }

    public int LostAnswers { get; private set; }

    /// <summary>The next <paramref name="count"/> reserves (of <paramref name="productId"/>, if given) reach the catalog, which applies them; their answers are lost.</summary>
    public void LoseReserveAnswers(int count, LostAnswer kind, int? productId = null)
    {
        lock (_lock)
        {
            (_toLose, Kind, _productId) = (count, kind, productId);
        }
    }

    public void Reset()
    {
        lock (_lock)
        {
            (_toLose, _productId, LostAnswers) = (0, null, 0);
        }
        AfterReserveAnswered = null;
    }

    internal bool TryLose(string path, out LostAnswer kind)
    {
        lock (_lock)
        {
            kind = Kind;
            if (_toLose == 0 || (_productId is { } id && !path.Contains($"/items/{id}/", StringComparison.Ordinal)))
            {
                return false;
            }
            _toLose--;
            LostAnswers++;
            return true;
        }
    }
}

internal sealed class CatalogFaultHandler(CatalogFaults faults) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.AbsolutePath;
        if (!path.EndsWith("/stock/reserve", StringComparison.Ordinal))
        {
            return response;
        }
        if (faults.AfterReserveAnswered is { } after)
        {
            await after();
        }
        if (!faults.TryLose(path, out var kind))
        {
            return response;
        }
        response.Dispose();
        throw kind == LostAnswer.Dropped
            ? new HttpRequestException("The connection was closed after the catalog answered (test fault).")
            : new TaskCanceledException("The catalog's answer came after the timeout (test fault).", new TimeoutException());
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
