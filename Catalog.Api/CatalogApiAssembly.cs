namespace Shop.Catalog.Api;

/// <summary>
/// Marker for <c>WebApplicationFactory&lt;CatalogApiAssembly&gt;</c>. Every web project has a global
/// <c>Program</c>; a test project that references two of them cannot name either, but it can name this.
/// </summary>
public sealed class CatalogApiAssembly;
