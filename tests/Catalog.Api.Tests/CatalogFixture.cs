using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>A private redis-server, a fresh SQLite file and one replica, per test class.</summary>
public sealed class CatalogFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public string DatabasePath { get; } = CatalogApiFactory.TempDatabasePath();

    public CatalogApiFactory Replica { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public CatalogApiFactory NewReplica(string replicaId, string adminKey = CatalogApiFactory.AdminKey) =>
        new(Redis.ConnectionString, DatabasePath, adminKey, replicaId);

    public async ValueTask InitializeAsync()
    {
        await Redis.StartAsync();
        Replica = NewReplica("replica-a");
        Client = Replica.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Replica.DisposeAsync();
        await Redis.DisposeAsync();
        TryDelete(Path.GetDirectoryName(DatabasePath)!);
    }

    internal static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
