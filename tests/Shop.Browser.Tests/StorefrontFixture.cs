using System.Net.Http.Json;
using Microsoft.Playwright;
using Shop.Testing;

namespace Shop.Browser.Tests;

/// <summary>
/// The whole Shop (local redis-server, every replica) and one headless Chromium (found by <see cref="BrowserLocator"/>)
/// for the browser tests.
/// Each test opens its own <see cref="IBrowserContext"/> (fresh cookies, cache and TCP connections, so the
/// Aspire proxy may hand it a different storefront replica), like a separate shopper or device.
/// </summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    /// <summary>
    /// A browse limit one test reaches in a few seconds of rapid navigation, and no ordinary test comes near
    /// (a page with its twelve product images costs thirteen).
    /// </summary>
    public const int BrowsePermitLimit = 100;
    public static readonly TimeSpan BrowseWindow = TimeSpan.FromSeconds(30);

    private int _shoppers;

    public static readonly TimeSpan RequestTimeout = ShopApp.RequestTimeout;

    public ShopApp Shop { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The storefront through the Aspire proxy, which balances the three replicas per TCP connection.</summary>
    public Uri Storefront => Shop.Endpoint(ShopResources.Frontend);

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        if (LocalBrowser.ExecutablePath is not { } chromium)
        {
            // Decided before a minute of app start-up. Without CI every test is skipped with the same how-to
            // (BrowserFact), so nothing is started; on CI they run, and each fails with this message.
            if (LocalBrowser.TestsRun)
            {
                throw new InvalidOperationException($"{LocalBrowser.NotFoundMessage} CI=true: a missing browser fails the run.");
            }
            return;
        }

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync().WaitAsync(ShopApp.StartTimeout);
        Browser = await Playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic"],
        }).WaitAsync(ShopApp.StartTimeout);
        Assertions.SetDefaultExpectTimeout(15_000);

        Shop = await ShopApp.StartAsync(
        [
            $"RateLimiting:Policies:browse:PermitLimit={BrowsePermitLimit}",
            $"RateLimiting:Policies:browse:Window={BrowseWindow:c}",
            // The tests stand in for an HTTP reverse proxy that names each shopper's address (see NewShopperAsync).
            "ForwardedHeaders:KnownProxies:0=127.0.0.1",
            "ForwardedHeaders:KnownProxies:1=::1",
        ]);
    }

    /// <summary>
    /// A new shopper: own cookies, cache and connections, a laptop-sized viewport, and an address of its own.
    /// Real shoppers arrive from different addresses; here every browser is on loopback, and an anonymous
    /// shopper's browse budget is counted per address. The fixture configures loopback as a trusted proxy, so
    /// the storefront takes the browser's <c>X-Forwarded-For</c> as a real proxy's (by default it trusts none).
    /// </summary>
    public async Task<IBrowserContext> NewShopperAsync(
        bool javaScriptEnabled = true, string? address = null, int width = 1280, int height = 800)
    {
        address ??= $"198.51.100.{Interlocked.Increment(ref _shoppers) % 250 + 1}";
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = Storefront.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = width, Height = height },
            JavaScriptEnabled = javaScriptEnabled,
            Locale = "en-US",
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Forwarded-For"] = address },
        });
        context.SetDefaultTimeout((float)RequestTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)RequestTimeout.TotalMilliseconds);
        return context;
    }

    /// <summary>Test setup only: empties a user's cart through Cart.Api so earlier tests' lines cannot confuse this one.</summary>
    public Task EmptyCartAsync(string userId) => Shop.ClearCartAsync($"u-{userId}");

    /// <summary>What Catalog.Api says about a product (stock included), to pick products a test can buy.</summary>
    public async Task<int> StockOfAsync(int productId)
    {
        using var client = Shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var item = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/catalog/items/{productId}");
        return item.GetProperty("stock").GetInt32();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        Playwright?.Dispose();
        if (Shop is not null)
        {
            await Shop.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StorefrontCollection : ICollectionFixture<StorefrontFixture>
{
    public const string Name = "Storefront in a browser";
}
