namespace Shop.Catalog.Api;

/// <summary>The <c>Catalog</c> configuration section.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>
    /// The SQLite file. Every replica must be handed the same path (the AppHost does): it is the one
    /// source of truth they all read and write. Relative paths are resolved against the content root.
    /// </summary>
    public string DatabasePath { get; set; } = "catalog.db";
}
