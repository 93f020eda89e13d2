namespace Shop.Catalog.Api;

public static class CatalogApi
{
    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/catalog");
        api.MapGet("/", () => TypedResults.Ok(new { service = "catalog-api" }));
        return app;
    }
}
