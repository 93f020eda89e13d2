using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>The cache is an optimisation: without Redis the catalog is slower, never broken.</summary>
public sealed class RedisOutageTests
{
    private static readonly string[] Reads =
        ["/api/catalog/items?category=kitchen", "/api/catalog/items/12", "/api/catalog/items/12/image", "/api/catalog/categories"];

    [Fact]
    public async Task WithRedisUnreachableFromTheStartReadsAndWritesAreServedFromTheDatabase()
    {
        var databasePath = CatalogApiFactory.TempDatabasePath();
        await using var factory = new CatalogApiFactory(RedisServer.Unreachable(), databasePath);
        using var client = factory.CreateClient();

        foreach (var url in Reads.Concat(Reads))
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Null(response.Headers.Age);
        }
        using var put = await client.PutItemAsync(12, new { stock = 3 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(3, await StockInDatabaseAsync(factory, 12));
        CatalogFixture.TryDelete(Path.GetDirectoryName(databasePath)!);
    }

    [Fact]
    public async Task WhenRedisDiesAfterEntriesWereCachedReadsStillSucceed()
    {
        var redis = new RedisServer();
        await redis.StartAsync();
        var databasePath = CatalogApiFactory.TempDatabasePath();
        await using var factory = new CatalogApiFactory(redis.ConnectionString, databasePath);
        using var client = factory.CreateClient();
        foreach (var url in Reads)
        {
            await client.GetAsync(url);
            Assert.NotNull((await client.GetAsync(url)).Headers.Age);
        }

        await redis.DisposeAsync();

        foreach (var url in Reads)
        {
            using var response = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        var stockBefore = await StockInDatabaseAsync(factory, 12);
        using var reserve = await client.ReserveAsync(12, 1);
        Assert.Equal(HttpStatusCode.OK, reserve.StatusCode);
        Assert.Equal(stockBefore - 1, await StockInDatabaseAsync(factory, 12));
        CatalogFixture.TryDelete(Path.GetDirectoryName(databasePath)!);
    }

    /// <summary>The stock SQLite holds (the cache is down, so only the database can say what the write did).</summary>
    private static async Task<int> StockInDatabaseAsync(CatalogApiFactory factory, int id) =>
        (await factory.Services.GetRequiredService<Shop.Catalog.Api.Data.CatalogRepository>().FindAsync(id, CancellationToken.None))!.Stock;
}
