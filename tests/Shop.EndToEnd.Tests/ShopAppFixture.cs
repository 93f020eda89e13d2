using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// One whole Shop (local redis-server, every replica) per test collection: starting it costs tens of
/// seconds on two cores, so the tests of a collection share it and keep their state apart by unique ids.
/// </summary>
public class ShopAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public const string AdminKey = "e2e-admin-key-0123456789abcdef";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("shop-e2e-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>
    /// Configuration a derived fixture adds (test rate limits and the like). The shared collection turns the
    /// limiter off: its tests send hundreds of requests from one loopback address and three demo accounts,
    /// which is exactly what the limiter exists to stop. Limits are proven in their own collection.
    /// </summary>
    protected virtual IEnumerable<string> ExtraArguments => ["RateLimiting:Enabled=false"];

    // Another test process may be running its own whole Shop; wait for it rather than compete for two cores.
    private static readonly TimeSpan GateTimeout = TimeSpan.FromMinutes(30);
    private WholeAppGate? _gate;

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "Redis:Mode=local",
            $"Redis:DataPath={Path.Combine(_dataDirectory, "redis")}",
            $"Catalog:DatabasePath={Path.Combine(_dataDirectory, "catalog.db")}",
            $"Parameters:catalog-admin-key={AdminKey}",
            "DcpPublisher:RandomizePorts=true",
            .. ExtraArguments,
        ];
        _gate = await WholeAppGate.EnterAsync(GateTimeout);
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = true)
            .WaitAsync(StartTimeout);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning));
        App = await builder.BuildAsync().WaitAsync(StartTimeout);
        await App.StartAsync().WaitAsync(StartTimeout);
        foreach (var resource in ShopResources.Services)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(StartTimeout);
        }
    }

    public Uri Endpoint(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>
    /// A client whose every request opens a new TCP connection. The Aspire proxy balances replicas per
    /// connection, so this is how a test reaches several replicas through one URL.
    /// </summary>
    public HttpClient CreateReplicaHoppingClient(string resource, bool allowRedirects = true) =>
        ReplicaHopping.CreateClient(Endpoint(resource), allowRedirects, RequestTimeout);

    /// <summary>A connection of the test's own to the app's Redis, for assertions on keys and TTLs.</summary>
    public async Task<StackExchange.Redis.ConnectionMultiplexer> ConnectToRedisAsync() =>
        await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(await RedisConnectionStringAsync() + ",allowAdmin=true")
            .WaitAsync(RequestTimeout);

    /// <summary>
    /// Products with enough stock for a checkout, found through Catalog.Api. The seed gives some products no
    /// stock, and tests that place orders must not depend on which.
    /// </summary>
    public async Task<int[]> InStockProductsAsync(int count, int minStock = 10)
    {
        using var client = CreateReplicaHoppingClient(ShopResources.Catalog);
        var page = Random.Shared.Next(2, 10);
        var list = await client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/catalog/items?pageSize=100&page={page}");
        return list.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("stock").GetInt32() >= minStock)
            .Select(item => item.GetProperty("id").GetInt32())
            .OrderBy(_ => Random.Shared.Next())
            .Take(count)
            .ToArray();
    }

    /// <summary>Empties a cart directly in Cart.Api, so a test starts from a known cart for a shared demo account.</summary>
    public async Task ClearCartAsync(string cartId)
    {
        using var client = CreateReplicaHoppingClient(ShopResources.Cart);
        (await client.DeleteAsync($"/api/carts/{cartId}")).EnsureSuccessStatusCode();
    }

    public async Task<string> RedisConnectionStringAsync() =>
        await App.GetConnectionStringAsync("cache").AsTask().WaitAsync(RequestTimeout)
        ?? throw new InvalidOperationException("The cache resource has no connection string.");

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(StartTimeout);
            await App.DisposeAsync();
        }
        _gate?.Dispose();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public static class ShopResources
{
    public const string Cache = "cache";
    public const string Catalog = "catalog-api";
    public const string Cart = "cart-api";
    public const string Frontend = "web-frontend";

    public static readonly string[] Services = [Catalog, Cart, Frontend];

    public static readonly IReadOnlyDictionary<string, int> Replicas = new Dictionary<string, int>
    {
        [Catalog] = 2,
        [Cart] = 2,
        [Frontend] = 3,
    };
}

[CollectionDefinition(Name)]
public sealed class ShopAppCollection : ICollectionFixture<ShopAppFixture>
{
    public const string Name = "Shop app";
}
