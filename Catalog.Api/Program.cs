using Shop.Catalog.Api.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Every error a client can see is ProblemDetails: unhandled exceptions and empty 4xx (unknown route, 405).
app.UseExceptionHandler();
app.UseStatusCodePages();
// Before the output cache, as in the storefront; only the admin writes (never cached) carry a policy.
app.UseRateLimiter();
app.UseOutputCache();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapRateLimitReset();

app.Run();

public partial class Program;
