using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Shop.Catalog.Api.Data;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

public sealed class DatabaseSeedingTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly string _databasePath = CatalogApiFactory.TempDatabasePath();

    [Fact]
    public async Task TwoReplicasStartingAtOnceOnAnEmptyDatabaseSeedItExactlyOnce()
    {
        await using var replicaA = new CatalogApiFactory(_redis.ConnectionString, _databasePath, replicaId: "replica-a");
        await using var replicaB = new CatalogApiFactory(_redis.ConnectionString, _databasePath, replicaId: "replica-b");

        // Touching Server builds and starts the host, running the initializer.
        await Task.WhenAll(Task.Run(() => replicaA.Server), Task.Run(() => replicaB.Server));

        await using var connection = new SqliteConnection($"Data Source={_databasePath}");
        await connection.OpenAsync();
        Assert.Equal((long)CatalogSeed.Generate().Products.Count, await ScalarAsync(connection, "SELECT COUNT(*) FROM products"));
        Assert.Equal((long)CatalogSeed.Categories.Count, await ScalarAsync(connection, "SELECT COUNT(*) FROM categories"));
        Assert.Equal(1L, await ScalarAsync(connection, "SELECT COUNT(*) FROM catalog_seed"));
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode"));
        using var clientB = replicaB.CreateClient();
        var page = await clientB.GetFromJsonAsync<Api.CatalogPage>("/api/catalog/items", CatalogHttp.Json);
        Assert.Equal(CatalogSeed.Generate().Products.Count, page!.Total);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is long or string ? value : Convert.ToInt64(value);
    }

    public async ValueTask InitializeAsync() => await _redis.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        SqliteConnection.ClearAllPools();
        CatalogFixture.TryDelete(Path.GetDirectoryName(_databasePath)!);
    }
}
