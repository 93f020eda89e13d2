using Shop.Catalog.Api.Api;

namespace Shop.Catalog.Api;

public static class CatalogApi
{
    /// <summary>
    /// The catalog's HTTP surface (see the contract in the repository docs), its output cache and its
    /// OpenAPI document (<c>/openapi/v1.json</c>).
    /// </summary>
    public static WebApplication MapCatalogApi(this WebApplication app)
    {
        // Every error a client can see is ProblemDetails: unhandled exceptions and empty 4xx (unknown route, 405).
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Before the output cache, as in the storefront; only the admin writes (never cached) carry a policy.
        app.UseRateLimiter();
        app.UseOutputCache();
        app.MapOpenApi();

        var api = app.MapGroup("/api/catalog").WithTags("Catalog");
        api.MapCatalogReads();
        api.MapCatalogWrites();
        api.MapHello();
        return app;
    }
}
