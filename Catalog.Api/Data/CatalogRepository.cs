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

public enum ReserveOutcome
{
    Reserved,
    /// <summary>This reservation already holds this line (a retry): nothing changed, the answer is the same.</summary>
    Repeated,
    NotFound,
    InsufficientStock,
    /// <summary>The reservation was released or committed: it takes no new lines.</summary>
    Closed,
    /// <summary>This reservation holds this product with another quantity: a caller bug, never a retry.</summary>
    Mismatch,
}

public enum ReservationOutcome
{
    Changed,
    Unchanged,
    NotFound,
    /// <summary>Released when committed is asked for, or committed when released is asked for.</summary>
    Conflict,
}

/// <summary>
/// Plain ADO.NET over the shared SQLite file. Every write is a single statement or one <c>BEGIN IMMEDIATE</c>
/// transaction, so it is atomic across replicas without application locks: SQLite serializes writers on the file.
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
    /// Takes <paramref name="quantity"/> of product <paramref name="id"/> for reservation <paramref name="reservationId"/>,
    /// recording the line in the same transaction as the stock change. <c>BEGIN IMMEDIATE</c> takes the write lock
    /// first, so of any number of concurrent reservations from any number of replicas only those the stock can cover
    /// succeed, and a repeated reserve (a caller retrying after a lost answer) finds its own line and changes nothing.
    /// A reservation that was released or committed takes no new lines: a reserve that arrives late, after the caller
    /// gave up and released, must not take stock nobody will give back.
    /// </summary>
    public async Task<(ReserveOutcome Outcome, CatalogItem? Item)> ReserveAsync(
        string reservationId, int id, int quantity, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);

        var state = await ReservationStateAsync(connection, transaction, reservationId, cancellationToken);
        await using (var line = Command(connection, transaction,
            $"SELECT quantity FROM {CatalogTables.ReservationLines} WHERE reservation_id = $rid AND product_id = $id"))
        {
            line.Parameters.AddWithValue("$rid", reservationId);
            line.Parameters.AddWithValue("$id", id);
            if (await line.ExecuteScalarAsync(cancellationToken) is long recorded)
            {
                var current = await FindAsync(connection, transaction, id, cancellationToken);
                return (recorded == quantity ? ReserveOutcome.Repeated : ReserveOutcome.Mismatch, current);
            }
        }
        if (state is not null and not ReservationStates.Reserved)
        {
            return (ReserveOutcome.Closed, null);
        }

        CatalogItem? changed;
        await using (var take = Command(connection, transaction,
            $"UPDATE products SET stock = stock - $quantity WHERE id = $id AND stock >= $quantity RETURNING {ItemColumns}"))
        {
            take.Parameters.AddWithValue("$id", id);
            take.Parameters.AddWithValue("$quantity", quantity);
            changed = await ReadSingleAsync(take, cancellationToken);
        }
        if (changed is null)
        {
            // Nothing changed: tell "no such product" from "not enough stock" (the current row, for the 409).
            var current = await FindAsync(connection, transaction, id, cancellationToken);
            return current is null ? (ReserveOutcome.NotFound, null) : (ReserveOutcome.InsufficientStock, current);
        }

        var now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await using (var record = Command(connection, transaction, $"""
            INSERT INTO {CatalogTables.Reservations} (id, state, created_at, updated_at) VALUES ($rid, '{ReservationStates.Reserved}', $now, $now)
                ON CONFLICT (id) DO UPDATE SET updated_at = $now;
            INSERT INTO {CatalogTables.ReservationLines} (reservation_id, product_id, quantity) VALUES ($rid, $id, $quantity);
            """))
        {
            record.Parameters.AddWithValue("$rid", reservationId);
            record.Parameters.AddWithValue("$id", id);
            record.Parameters.AddWithValue("$quantity", quantity);
            record.Parameters.AddWithValue("$now", now);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (ReserveOutcome.Reserved, changed);
    }

    /// <summary>
    /// Gives back every line of a reserved reservation, once: the state moves to <c>released</c> in the same
    /// transaction, so a second release finds nothing to give. An unknown id is recorded as released with no lines
    /// (no stock changes), which fences out a reserve with that id still on its way. A committed reservation belongs to
    /// an order and is not released.
    /// </summary>
    public async Task<(ReservationOutcome Outcome, StockReservation Reservation)> ReleaseReservationAsync(
        string reservationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var state = await ReservationStateAsync(connection, transaction, reservationId, cancellationToken);
        var lines = await LinesAsync(connection, transaction, reservationId, cancellationToken);
        if (state is ReservationStates.Committed or ReservationStates.Released)
        {
            var outcome = state == ReservationStates.Committed ? ReservationOutcome.Conflict : ReservationOutcome.Unchanged;
            return (outcome, new StockReservation(reservationId, state, lines));
        }

        var now = DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await using (var release = Command(connection, transaction, $"""
            UPDATE products SET stock = stock + (
                SELECT quantity FROM {CatalogTables.ReservationLines} WHERE reservation_id = $rid AND product_id = products.id)
                WHERE id IN (SELECT product_id FROM {CatalogTables.ReservationLines} WHERE reservation_id = $rid);
            INSERT INTO {CatalogTables.Reservations} (id, state, created_at, updated_at) VALUES ($rid, '{ReservationStates.Released}', $now, $now)
                ON CONFLICT (id) DO UPDATE SET state = '{ReservationStates.Released}', updated_at = $now;
            """))
        {
            release.Parameters.AddWithValue("$rid", reservationId);
            release.Parameters.AddWithValue("$now", now);
            await release.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (ReservationOutcome.Changed, new StockReservation(reservationId, ReservationStates.Released, lines));
    }

    /// <summary>
    /// Marks a reservation as held by a placed order, so no release can give its stock back any more. Committing
    /// twice is a no-op; a released or unknown reservation cannot be committed (there is no stock behind it).
    /// </summary>
    public async Task<(ReservationOutcome Outcome, StockReservation? Reservation)> CommitReservationAsync(
        string reservationId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var state = await ReservationStateAsync(connection, transaction, reservationId, cancellationToken);
        if (state is null)
        {
            return (ReservationOutcome.NotFound, null);
        }
        var lines = await LinesAsync(connection, transaction, reservationId, cancellationToken);
        if (state != ReservationStates.Reserved)
        {
            var outcome = state == ReservationStates.Committed ? ReservationOutcome.Unchanged : ReservationOutcome.Conflict;
            return (outcome, new StockReservation(reservationId, state, lines));
        }

        await using (var commit = Command(connection, transaction,
            $"UPDATE {CatalogTables.Reservations} SET state = '{ReservationStates.Committed}', updated_at = $now WHERE id = $rid"))
        {
            commit.Parameters.AddWithValue("$rid", reservationId);
            commit.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await commit.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return (ReservationOutcome.Changed, new StockReservation(reservationId, ReservationStates.Committed, lines));
    }

    private static async Task<string?> ReservationStateAsync(
        SqliteConnection connection, SqliteTransaction transaction, string reservationId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"SELECT state FROM {CatalogTables.Reservations} WHERE id = $rid");
        command.Parameters.AddWithValue("$rid", reservationId);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    private static async Task<IReadOnlyList<ReservedLine>> LinesAsync(
        SqliteConnection connection, SqliteTransaction transaction, string reservationId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction,
            $"SELECT product_id, quantity FROM {CatalogTables.ReservationLines} WHERE reservation_id = $rid ORDER BY product_id");
        command.Parameters.AddWithValue("$rid", reservationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<ReservedLine>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(new ReservedLine(reader.GetInt32(0), reader.GetInt32(1)));
        }
        return lines;
    }

    private static async Task<CatalogItem?> FindAsync(
        SqliteConnection connection, SqliteTransaction transaction, int id, CancellationToken cancellationToken)
    {
        await using var find = Command(connection, transaction, $"SELECT {ItemColumns} FROM products WHERE id = $id");
        find.Parameters.AddWithValue("$id", id);
        return await ReadSingleAsync(find, cancellationToken);
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
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
