using Shop.Catalog.Api.Api;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Nothing that escapes the handlers below reaches a caller as a stack trace (LastResortErrors).
app.UseLastResortErrors();

// Every error a client can see is ProblemDetails: unhandled exceptions and empty 4xx (unknown route, 405).
app.UseExceptionHandler();
app.UseStatusCodePages();
// Who is writing (Cart.Api's Stock token), then the limits: only the writes (never cached) carry a policy.
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();
app.UseOutputCache();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapCatalogApi();
app.MapRateLimitReset().RequireRateLimiting(CatalogWriteEndpoints.AdminPolicy);

app.Run();

public partial class Program;
