using Shop.Testing;

namespace Shop.Cart.Api.Tests;

/// <summary>A private redis-server, a fake catalog over real HTTP and Cart.Api pointed at both.</summary>
public sealed class CartApiFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public FakeCatalog Catalog { get; } = new();

    public CartApiFactory Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        await Catalog.StartAsync();
        Factory = new CartApiFactory(Redis.ConnectionString, Catalog.Url);
        Client = Factory.CreateStorefrontClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Catalog.DisposeAsync();
        await Redis.DisposeAsync();
    }
}
