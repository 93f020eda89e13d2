namespace Shop.Web.Frontend.Extensions;

public static class ApplicationServiceExtensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddShopRedis();
        builder.Services.AddRazorPages();
        return builder;
    }
}
