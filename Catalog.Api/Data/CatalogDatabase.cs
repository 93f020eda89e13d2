using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Shop.Catalog.Api.Data;

/// <summary>
/// Opens connections to the one SQLite file every replica shares. WAL lets readers of all replicas run
/// while one writes; the busy timeout makes a writer wait for another replica's write instead of failing.
/// </summary>
public sealed class CatalogDatabase
{
    private static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    public CatalogDatabase(IOptions<CatalogOptions> options, IHostEnvironment environment)
    {
        var path = options.Value.DatabasePath;
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new InvalidOperationException($"{CatalogOptions.SectionName}:{nameof(CatalogOptions.DatabasePath)} is empty.");
        }

        FilePath = Path.GetFullPath(path, environment.ContentRootPath);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Microsoft.Data.Sqlite retries SQLITE_BUSY until the command timeout: this is the busy timeout.
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    public string FilePath { get; }

    public string ConnectionString { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
