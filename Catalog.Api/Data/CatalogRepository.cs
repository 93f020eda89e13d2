using System.Text;
using Microsoft.Data.Sqlite;
using Shop.Catalog.Api.Api;

namespace Shop.Catalog.Api.Data;

public enum CatalogSort
{
    Name,
    PriceAscending,
    PriceDescending,
}

/// <summary>A list query that passed <c>CatalogQueryValidation</c>.</summary>
public sealed record CatalogListRequest(string? Category, string? Search, CatalogSort Sort, int Page, int PageSize);

public enum StockChangeOutcome
{
    Changed,
    NotFound,
    InsufficientStock,
}

/// <summary>
/// Plain ADO.NET over the shared SQLite file. Every write is a single statement, so it is atomic across
/// replicas without application locks: SQLite serializes writers on the file.
/// </summary>
public sealed class CatalogRepository(CatalogDatabase database)
{
    private const string ItemColumns = "id, name, description, brand, price_cents, stock, category";

    public async Task<CatalogPage> ListAsync(CatalogListRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);

        var where = new StringBuilder(" WHERE 1 = 1");
        var parameters = new List<SqliteParameter>();
        if (request.Category is not null)
        {
            where.Append(" AND category = $category");
            parameters.Add(new SqliteParameter("$category", request.Category));
        }
        if (request.Search is not null)
        {
            // LIKE is case-insensitive for ASCII in SQLite; the user's % and _ are escaped so they match literally.
            where.Append(" AND (name LIKE $q ESCAPE '\\' OR brand LIKE $q ESCAPE '\\' OR description LIKE $q ESCAPE '\\')");
            parameters.Add(new SqliteParameter("$q", $"%{EscapeLike(request.Search)}%"));
        }

        var orderBy = request.Sort switch
        {
            CatalogSort.PriceAscending => "price_cents, id",
            CatalogSort.PriceDescending => "price_cents DESC, id",
            _ => "name COLLATE NOCASE, id",
        };

        int total;
        await using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM products" + where;
            count.Parameters.AddRange(parameters.Select(Clone));
            total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken));
        }

        var items = new List<CatalogItem>(request.PageSize);
        await using (var page = connection.CreateCommand())
        {
            page.CommandText = $"SELECT {ItemColumns} FROM products{where} ORDER BY {orderBy} LIMIT $limit OFFSET $offset";
            page.Parameters.AddRange(parameters.Select(Clone));
            page.Parameters.AddWithValue("$limit", request.PageSize);
            page.Parameters.AddWithValue("$offset", (long)(request.Page - 1) * request.PageSize);
            await using var reader = await page.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(ReadItem(reader));
            }
        }

        return new CatalogPage(items, request.Page, request.PageSize, total);
    }

    public async Task<CatalogItem?> FindAsync(int id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ItemColumns} FROM products WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return await ReadSingleAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<CategorySummary>> CategoriesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.slug, c.name, (SELECT COUNT(*) FROM products p WHERE p.category = c.slug)
            FROM categories c ORDER BY c.position
            """;
        var result = new List<CategorySummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add(new CategorySummary(reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
        }
        return result;
    }

    /// <summary>Applies the fields that are present; returns null when the product does not exist.</summary>
    public async Task<CatalogItem?> UpdateAsync(int id, UpdateCatalogItemRequest update, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            UPDATE products SET
                name = COALESCE($name, name),
                description = COALESCE($description, description),
                price_cents = COALESCE($price, price_cents),
                stock = COALESCE($stock, stock)
            WHERE id = $id
            RETURNING {ItemColumns}
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", (object?)update.Name?.Trim() ?? DBNull.Value);
        command.Parameters.AddWithValue("$description", (object?)update.Description?.Trim() ?? DBNull.Value);
        command.Parameters.AddWithValue("$price", update.Price is { } price ? (object)ToCents(price) : DBNull.Value);
        command.Parameters.AddWithValue("$stock", (object?)update.Stock ?? DBNull.Value);
        return await ReadSingleAsync(command, cancellationToken);
    }

    /// <summary>
    /// Takes <paramref name="quantity"/> out of stock in one conditional UPDATE: of any number of concurrent
    /// reservations from any number of replicas, only those the stock can cover succeed, and stock never
    /// goes below zero.
    /// </summary>
    public Task<(StockChangeOutcome Outcome, CatalogItem? Item)> ReserveAsync(int id, int quantity, CancellationToken cancellationToken) =>
        ChangeStockAsync(id, "stock = stock - $quantity", "stock >= $quantity", quantity, cancellationToken);

    public Task<(StockChangeOutcome Outcome, CatalogItem? Item)> ReleaseAsync(int id, int quantity, CancellationToken cancellationToken) =>
        ChangeStockAsync(id, "stock = stock + $quantity", "1 = 1", quantity, cancellationToken);

    private async Task<(StockChangeOutcome, CatalogItem?)> ChangeStockAsync(
        int id, string set, string condition, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE products SET {set} WHERE id = $id AND {condition} RETURNING {ItemColumns}";
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$quantity", quantity);
            if (await ReadSingleAsync(command, cancellationToken) is { } changed)
            {
                return (StockChangeOutcome.Changed, changed);
            }
        }

        // Nothing changed: tell "no such product" from "not enough stock" (the current row, for the 409).
        await using var find = connection.CreateCommand();
        find.CommandText = $"SELECT {ItemColumns} FROM products WHERE id = $id";
        find.Parameters.AddWithValue("$id", id);
        return await ReadSingleAsync(find, cancellationToken) is { } current
            ? (StockChangeOutcome.InsufficientStock, current)
            : (StockChangeOutcome.NotFound, null);
    }

    private static async Task<CatalogItem?> ReadSingleAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadItem(reader) : null;
    }

    private static CatalogItem ReadItem(SqliteDataReader reader)
    {
        var id = reader.GetInt32(0);
        return new CatalogItem(
            id,
            reader.GetString(1),
            reader.GetString(2),
            reader.GetString(3),
            reader.GetInt64(4) / 100m,
            reader.GetInt32(5),
            reader.GetString(6),
            ImageUrl(id));
    }

    public static string ImageUrl(int id) => $"/api/catalog/items/{id}/image";

    private static long ToCents(decimal price) => (long)(price * 100m);

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private static SqliteParameter Clone(SqliteParameter parameter) => new(parameter.ParameterName, parameter.Value);
}
