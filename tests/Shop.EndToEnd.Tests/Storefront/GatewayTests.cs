using System.Net;
using System.Net.Http.Json;

namespace Shop.EndToEnd.Tests.Storefront;

/// <summary>
/// The gateway is the one public entry: it spreads each request (not each connection) over the storefront replicas,
/// keeps every internal admin route inside, and the services behind it trust tokens and keys, not callers.
/// </summary>
[Collection(ShopAppCollection.Name)]
public sealed class GatewayTests(ShopAppFixture shop)
{
    [Fact]
    public async Task OneKeepAliveConnectionReachesEveryStorefrontReplica()
    {
        var handler = ClientAddresses.Handler(ClientAddresses.Next());
        handler.MaxConnectionsPerServer = 1;
        var connections = 0;
        var connect = handler.ConnectCallback!;
        handler.ConnectCallback = (context, cancellationToken) =>
        {
            Interlocked.Increment(ref connections);
            return connect(context, cancellationToken);
        };
        using var browser = new HttpClient(handler) { BaseAddress = shop.Endpoint(ShopResources.Frontend), Timeout = ShopApp.RequestTimeout };

        var instances = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            using var response = await browser.GetAsync("/products/1");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            instances.Add(response.Instance());
        }

        Assert.Equal(1, connections);
        Assert.Equal(shop.ReplicaInstances(ShopResources.Frontend).Order(), instances.Distinct().Order());
    }

    [Theory]
    [InlineData("POST", "/admin/rate-limits/reset")]
    [InlineData("GET", "/admin/rate-limits/reset")]
    [InlineData("POST", "/ADMIN/rate-limits/reset")]
    [InlineData("POST", "/admin/../admin/rate-limits/reset")]
    [InlineData("POST", "/%61dmin/rate-limits/reset")]
    public async Task AdminRoutesAreNotFoundThroughTheGatewayEvenWithTheAdminKey(string method, string path)
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend, allowRedirects: false);
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Headers = { { "X-Api-Key", TestSecrets.AdminKey } } };

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(response.Headers.Contains(ReplicaHopping.InstanceHeader), "No storefront replica should have seen the request.");
    }

    [Fact]
    public async Task CartApiServesOnlyTheStorefrontsTokenForTheCartItNames()
    {
        var bob = "u-e2e" + Guid.NewGuid().ToString("N")[..12];
        using var storefront = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        (await storefront.PostAsJsonAsync($"/api/carts/{bob}/items", new { productId = 3, quantity = 1 })).EnsureSuccessStatusCode();
        using var stranger = new HttpClient { BaseAddress = shop.Endpoint(ShopResources.Cart), Timeout = ShopApp.RequestTimeout };

        using var noToken = await stranger.GetAsync($"/api/carts/{bob}");
        using var forged = await stranger.SendAsync(WithToken(HttpMethod.Get, $"/api/carts/{bob}", TestSecrets.ForgedCartToken(bob)));
        using var aliceToken = await stranger.SendAsync(WithToken(HttpMethod.Delete, $"/api/carts/{bob}", TestSecrets.CartToken("u-alice")));
        using var notJson = await storefront.PostAsync($"/api/carts/{bob}/items", new StringContent("""{"productId":4,"quantity":1}"""));
        var cart = await storefront.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/carts/{bob}");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, aliceToken.StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
        Assert.All(new[] { noToken, forged, aliceToken, notJson }, r => Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType));
        Assert.Equal(1, cart.GetProperty("itemCount").GetInt32());
    }

    /// <summary>Which secret each service may hold (README, "Security"): a leak from one service exposes only its own.</summary>
    [Theory]
    [InlineData(ShopResources.Gateway, "Gateway__Key")]
    [InlineData(ShopResources.Frontend, "Gateway__Key", "Tokens__Cart__Key", "DataProtection__Certificate")]
    [InlineData(ShopResources.Cart, "Tokens__Cart__Key", "Tokens__Stock__Key")]
    [InlineData(ShopResources.Catalog, "Tokens__Stock__Key", "Admin__ApiKey")]
    public async Task EachServiceIsGivenOnlyTheSecretsItNeeds(string service, params string[] secrets)
    {
        string[] allSecrets = ["Admin__ApiKey", "Gateway__Key", "Tokens__Cart__Key", "Tokens__Stock__Key", "DataProtection__Certificate"];
        var environments = new List<string[]>();
        using var replayed = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            // The notification service replays every instance's current state (its environment included) to a new watcher.
            await foreach (var update in shop.App.ResourceNotifications.WatchAsync(replayed.Token))
            {
                if (ShopResources.BelongsTo(update.Resource.Name, service) && update.Snapshot.EnvironmentVariables.Length > 0)
                {
                    environments.Add([.. update.Snapshot.EnvironmentVariables.Select(v => v.Name)]);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.NotEmpty(environments);
        Assert.All(environments, names => Assert.Equal(secrets.Order(), names.Intersect(allSecrets).Order()));
    }

    private static HttpRequestMessage WithToken(HttpMethod method, string path, string token) =>
        new(method, path) { Headers = { Authorization = new("Bearer", token) } };
}
