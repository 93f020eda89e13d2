using Shop.Catalog.Api.Data;

namespace Shop.Catalog.Api.Extensions;

public static class CatalogDatabaseExtensions
{
    /// <summary>
    /// The SQLite file all replicas share (<c>Catalog:DatabasePath</c>), created and seeded once before the
    /// server takes requests.
    /// </summary>
    public static IHostApplicationBuilder AddCatalogDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName);
        builder.Services.AddSingleton<CatalogDatabase>();
        builder.Services.AddSingleton<CatalogRepository>();
        builder.Services.AddHostedService<CatalogDatabaseInitializer>();
        return builder;
    }
}
