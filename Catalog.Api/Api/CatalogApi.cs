namespace Shop.Catalog.Api.Api;

public static class CatalogApi
{
    /// <summary>
    /// The catalog's HTTP surface (the contract is in docs/architecture.md): reads for everyone, output cached in
    /// Redis; writes with the admin key, each evicting what it changed; and <c>hello</c>, the benchmark's floor.
    /// </summary>
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog").WithTags("Catalog");
        api.MapCatalogReads();
        api.MapCatalogWrites();
        api.MapHello();
        return app;
    }
}
