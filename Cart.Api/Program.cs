var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// Nothing that escapes the handlers below reaches a caller as a stack trace (LastResortErrors).
app.UseLastResortErrors();

// Every error a client can see is ProblemDetails (a 401 without a token included), and an outage is a 503.
app.UseExceptionHandler();
app.UseStatusCodePages();
// Who the caller acts for (the storefront's token), before the limiter: only a valid token's writes are counted.
app.UseAuthentication();
app.UseAuthorization();
app.UseRateLimiter();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapCartApi();

app.Run();

public partial class Program;
