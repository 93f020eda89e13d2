namespace Shop.Catalog.Api.Api;

/// <summary>
/// <c>GET /api/catalog/hello</c>: a constant text, not cached, not limited, no database. It is the floor for
/// the benchmark (bench/Shop.Bench): a cached list page is compared with what the same process, pipeline
/// and replica cost when the handler does nothing at all.
/// </summary>
public static class HelloEndpoint
{
    public const string Text = "hello from catalog-api";

    public static RouteGroupBuilder MapHello(this RouteGroupBuilder api)
    {
        api.MapGet("/hello", () => TypedResults.Text(Text)).WithName("Hello").ExcludeFromDescription();
        return api;
    }
}
