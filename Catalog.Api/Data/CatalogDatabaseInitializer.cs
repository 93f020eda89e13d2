using Microsoft.Data.Sqlite;

namespace Shop.Catalog.Api.Data;

/// <summary>
/// Creates and seeds the catalog before the server accepts requests (<see cref="StartingAsync"/> runs before
/// any hosted service, Kestrel included). Two replicas start at the same moment against one empty file:
/// the schema check and the seed run inside one <c>BEGIN IMMEDIATE</c> transaction, so the second replica
/// waits for the first one's write lock, then finds the <c>catalog_seed</c> marker and does nothing.
/// </summary>
internal sealed class CatalogDatabaseInitializer(CatalogDatabase database, ILogger<CatalogDatabaseInitializer> logger)
    : IHostedLifecycleService
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS categories (
            slug TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            position INTEGER NOT NULL);
        CREATE TABLE IF NOT EXISTS products (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            brand TEXT NOT NULL,
            price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
            stock INTEGER NOT NULL CHECK (stock >= 0),
            category TEXT NOT NULL REFERENCES categories (slug));
        CREATE INDEX IF NOT EXISTS ix_products_category_name ON products (category, name COLLATE NOCASE, id);
        CREATE INDEX IF NOT EXISTS ix_products_price ON products (price_cents, id);
        CREATE TABLE IF NOT EXISTS catalog_seed (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            products INTEGER NOT NULL,
            seeded_at TEXT NOT NULL);
        """;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(database.FilePath)!);
        await using var connection = await database.OpenAsync(cancellationToken);

        // Persistent in the file: the first replica switches it, later opens inherit it.
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);

        // BEGIN IMMEDIATE: take the write lock before reading the marker, so two replicas cannot both see "not seeded".
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, Schema, cancellationToken);
        await ExecuteAsync(connection, transaction, CatalogTables.Schema, cancellationToken);

        await using (var seeded = connection.CreateCommand())
        {
            seeded.Transaction = transaction;
            seeded.CommandText = "SELECT COUNT(*) FROM catalog_seed;";
            if (Convert.ToInt64(await seeded.ExecuteScalarAsync(cancellationToken)) > 0)
            {
                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Catalog database {Path} is already seeded.", database.FilePath);
                return;
            }
        }

        var catalog = CatalogSeed.Generate();
        await InsertAsync(connection, transaction, catalog, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Seeded catalog database {Path} with {Products} products in {Categories} categories.",
            database.FilePath, catalog.Products.Count, catalog.Categories.Count);
    }

    private static async Task InsertAsync(
        SqliteConnection connection, SqliteTransaction transaction, CatalogSeed.SeedCatalog catalog, CancellationToken cancellationToken)
    {
        await using (var category = connection.CreateCommand())
        {
            category.Transaction = transaction;
            category.CommandText = "INSERT INTO categories (slug, name, position) VALUES ($slug, $name, $position);";
            var slug = category.Parameters.Add("$slug", SqliteType.Text);
            var name = category.Parameters.Add("$name", SqliteType.Text);
            var position = category.Parameters.Add("$position", SqliteType.Integer);
            for (var i = 0; i < catalog.Categories.Count; i++)
            {
                (slug.Value, name.Value, position.Value) = (catalog.Categories[i].Slug, catalog.Categories[i].Name, i);
                await category.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await using (var product = connection.CreateCommand())
        {
            product.Transaction = transaction;
            product.CommandText = """
                INSERT INTO products (id, name, description, brand, price_cents, stock, category)
                VALUES ($id, $name, $description, $brand, $price, $stock, $category);
                """;
            var id = product.Parameters.Add("$id", SqliteType.Integer);
            var name = product.Parameters.Add("$name", SqliteType.Text);
            var description = product.Parameters.Add("$description", SqliteType.Text);
            var brand = product.Parameters.Add("$brand", SqliteType.Text);
            var price = product.Parameters.Add("$price", SqliteType.Integer);
            var stock = product.Parameters.Add("$stock", SqliteType.Integer);
            var categorySlug = product.Parameters.Add("$category", SqliteType.Text);
            foreach (var p in catalog.Products)
            {
                (id.Value, name.Value, description.Value, brand.Value) = (p.Id, p.Name, p.Description, p.Brand);
                (price.Value, stock.Value, categorySlug.Value) = (p.PriceCents, p.Stock, p.Category);
                await product.ExecuteNonQueryAsync(cancellationToken);
            }
        }

        await ExecuteAsync(connection, transaction,
            $"INSERT INTO catalog_seed (id, products, seeded_at) VALUES (1, {catalog.Products.Count}, datetime('now'));",
            cancellationToken);
    }

    private static async Task ExecuteAsync(
        SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
