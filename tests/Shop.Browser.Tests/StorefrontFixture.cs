using System.Net.Http.Json;
using Microsoft.Playwright;
using Shop.Testing;

namespace Shop.Browser.Tests;

/// <summary>
/// The whole Shop (local redis-server, every replica) and one headless Chromium (found by <see cref="BrowserLocator"/>)
/// for the browser tests.
/// Each test opens its own <see cref="IBrowserContext"/> (fresh cookies, cache and connections, and a client address
/// of its own), like a separate shopper or device; the gateway spreads its requests over the storefront replicas.
/// </summary>
public sealed class StorefrontFixture : IAsyncLifetime
{
    /// <summary>
    /// A browse limit one test reaches in a few seconds of rapid navigation, and no ordinary test comes near
    /// (a page with its twelve product images costs thirteen).
    /// </summary>
    public const int BrowsePermitLimit = 100;
    public static readonly TimeSpan BrowseWindow = TimeSpan.FromSeconds(30);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<IBrowserContext, LoopbackRelay> _relays = new();

    public static readonly TimeSpan RequestTimeout = ShopApp.RequestTimeout;

    public ShopApp Shop { get; private set; } = null!;
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The storefront as shoppers reach it: the gateway, which balances the replicas per request.</summary>
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
        ]);
    }

    /// <summary>
    /// A new shopper: own cookies, cache and connections, a laptop-sized viewport, and an address of its own. Real
    /// shoppers arrive from different addresses, and an anonymous shopper's budgets are counted per address; a
    /// browser cannot choose its source address, so it reaches the gateway through a <see cref="LoopbackRelay"/>
    /// that connects from one (<see cref="AddressOf"/>).
    /// </summary>
    public async Task<IBrowserContext> NewShopperAsync(bool javaScriptEnabled = true, int width = 1280, int height = 800)
    {
        var relay = new LoopbackRelay(Storefront, ClientAddresses.Next());
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = relay.Address.ToString().TrimEnd('/'),
            ViewportSize = new() { Width = width, Height = height },
            JavaScriptEnabled = javaScriptEnabled,
            Locale = "en-US",
        });
        _relays[context] = relay;
        context.SetDefaultTimeout((float)RequestTimeout.TotalMilliseconds);
        context.SetDefaultNavigationTimeout((float)RequestTimeout.TotalMilliseconds);
        return context;
    }

    /// <summary>The client address the gateway sees for <paramref name="shopper"/>'s requests.</summary>
    public string AddressOf(IBrowserContext shopper) => _relays[shopper].Source.ToString();

    /// <summary>The origin <paramref name="shopper"/> browses (its relay to the gateway): where every asset must come from.</summary>
    public string OriginOf(IBrowserContext shopper) => _relays[shopper].Address.GetLeftPart(UriPartial.Authority);

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
        foreach (var relay in _relays.Values)
        {
            await relay.DisposeAsync();
        }
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
