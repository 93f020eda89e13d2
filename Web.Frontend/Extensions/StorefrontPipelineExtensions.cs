namespace Shop.Web.Frontend.Extensions;

public static class StorefrontPipelineExtensions
{
    /// <summary>The storefront's middleware, in the order shared/design.md reasons out.</summary>
    public static WebApplication UseStorefrontPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/Error");
        }
        app.UseStatusCodePagesWithReExecute("/Error", "?status={0}");
        app.UseStaticFiles();
        app.UseRouting();
        return app;
    }

    public static WebApplication MapStorefront(this WebApplication app)
    {
        app.MapRazorPages();
        return app;
    }
}
