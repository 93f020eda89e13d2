var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseStorefrontPipeline();
app.MapDefaultEndpoints();
app.MapStorefront().RequireStorefrontRateLimits();
app.MapRateLimitAdmin();

app.Run();

public partial class Program;
