using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// One whole Shop (<see cref="ShopApp"/>) per test collection, shared by its tests, which keep their state apart
/// by unique ids. The members forward to the harness so tests read as <c>shop.Endpoint(...)</c>.
/// </summary>
public class ShopAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = ShopApp.StartTimeout;
    public static readonly TimeSpan RequestTimeout = ShopApp.RequestTimeout;

    public ShopApp Shop { get; private set; } = null!;

    public DistributedApplication App => Shop.App;

    /// <summary>
    /// Configuration a derived fixture adds (test rate limits and the like). The shared collection turns the
    /// limiter off: its tests send hundreds of requests from one loopback address and three demo accounts,
    /// which is exactly what the limiter exists to stop. Limits are proven in their own collection.
    /// </summary>
    protected virtual IEnumerable<string> ExtraArguments => ["RateLimiting:Enabled=false"];

    public async ValueTask InitializeAsync() => Shop = await ShopApp.StartAsync(ExtraArguments);

    public Uri Endpoint(string resource) => Shop.Endpoint(resource);

    public IReadOnlySet<string> ReplicaInstances(string resource) => Shop.ReplicaInstances(resource);

    public HttpClient CreateReplicaHoppingClient(string resource, bool allowRedirects = true) =>
        Shop.CreateReplicaHoppingClient(resource, allowRedirects);

    public Task<StackExchange.Redis.ConnectionMultiplexer> ConnectToRedisAsync() => Shop.ConnectToRedisAsync();

    public Task<string> RedisConnectionStringAsync() => Shop.RedisConnectionStringAsync();

    public Task<int[]> InStockProductsAsync(int count, int minStock = 10) => Shop.InStockProductsAsync(count, minStock);

    public Task ClearCartAsync(string cartId) => Shop.ClearCartAsync(cartId);

    public async ValueTask DisposeAsync()
    {
        if (Shop is not null)
        {
            await Shop.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ShopAppCollection : ICollectionFixture<ShopAppFixture>
{
    public const string Name = "Shop app";
}
