var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapRateLimitAdmin();

app.Run();

public partial class Program;
