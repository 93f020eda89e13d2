namespace Shop.Catalog.Api.Data;

/// <summary>
/// The stock reservation tables, named in one place: the schema (<see cref="CatalogDatabaseInitializer"/>) and
/// every statement that touches them (<see cref="CatalogRepository"/>) use these names.
/// </summary>
public static class CatalogTables
{
    /// <summary>One row per reservation id: its state and when it last changed.</summary>
    public const string Reservations = "stock_reservations";

    /// <summary>One row per (reservation, product): how much of that product the reservation took.</summary>
    public const string ReservationLines = "stock_reservation_lines";

    /// <summary>
    /// Created with the catalog and on the first start after an upgrade (<c>IF NOT EXISTS</c>), inside the
    /// initializer's write transaction. A reservation is <c>reserved</c>, then exactly one of <c>committed</c>
    /// (an order holds the stock) or <c>released</c> (the stock went back); neither ever changes again.
    /// </summary>
    public const string Schema = $"""
        CREATE TABLE IF NOT EXISTS {Reservations} (
            id TEXT PRIMARY KEY,
            state TEXT NOT NULL CHECK (state IN ('{ReservationStates.Reserved}', '{ReservationStates.Committed}', '{ReservationStates.Released}')),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS {ReservationLines} (
            reservation_id TEXT NOT NULL REFERENCES {Reservations} (id),
            product_id INTEGER NOT NULL REFERENCES products (id),
            quantity INTEGER NOT NULL CHECK (quantity > 0),
            PRIMARY KEY (reservation_id, product_id));
        """;
}

/// <summary>The states of a reservation, as stored and as the contract names them.</summary>
public static class ReservationStates
{
    public const string Reserved = "reserved";
    public const string Committed = "committed";
    public const string Released = "released";
}
