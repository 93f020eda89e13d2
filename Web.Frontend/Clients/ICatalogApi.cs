using Refit;

namespace Shop.Web.Frontend.Clients;

/// <summary>Catalog.Api, reached through service discovery as <c>http://catalog-api</c>.</summary>
public interface ICatalogApi
{
    [Get("/api/catalog/items")]
    Task<CatalogPage> GetItemsAsync(string? category, string? q, string? sort, int? page, int? pageSize, CancellationToken cancellationToken);

    [Get("/api/catalog/items/{id}")]
    Task<CatalogItem> GetItemAsync(int id, CancellationToken cancellationToken);

    /// <summary>The raw SVG response; the storefront streams it to the browser (the API is internal).</summary>
    [Get("/api/catalog/items/{id}/image")]
    Task<HttpResponseMessage> GetImageAsync(int id, CancellationToken cancellationToken);

    [Get("/api/catalog/categories")]
    Task<IReadOnlyList<CatalogCategory>> GetCategoriesAsync(CancellationToken cancellationToken);
}
