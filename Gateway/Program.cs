using Shop.Gateway;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults(nameTheReplicaInResponses: false);
builder.AddEdgeLimit();
builder.AddStorefrontProxy();

var app = builder.Build();

// 0. Nothing that escapes reaches a client as a stack trace (LastResortErrors).
app.UseLastResortErrors();

// 1. The ceiling per client address, before anything else costs a replica or Redis anything.
app.UseRateLimiter();

// 2. The gateway's own health; every admin route of every service stays inside (not found from outside).
app.MapDefaultEndpoints();
app.Map("/admin/{**rest}", () => TypedResults.NotFound()).RequireRateLimiting(EdgeLimit.Policy);

// 3. Everything else goes to a storefront replica, chosen per request.
app.MapStorefrontProxy().RequireRateLimiting(EdgeLimit.Policy);

app.Run();
