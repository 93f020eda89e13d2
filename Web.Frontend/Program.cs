using Shop.Web.Frontend.Errors;
using Shop.Web.Frontend.Images;
using Shop.Web.Frontend.Security;
using Shop.Web.Frontend.Sessions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

// 0. Nothing that escapes the error pages below reaches a shopper as a stack trace (LastResortErrors).
app.UseLastResortErrors();

// 1. Who the client is (X-Forwarded-* only from the gateway), and the headers every response carries.
app.UseGatewayForwardedHeaders(app.Configuration);
app.UseSecurityHeaders();

// 2. Friendly pages, in every environment: a dependency that is down is a 503 page, not a stack trace. Status-code
//    pages re-execute /error keeping the response headers (Retry-After on a 429).
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/error",
    StatusCodeSelector = StorefrontFailures.StatusCodeFor,
});
app.UseStatusCodePagesWithReExecute("/error", "?status={0}");

// 3. No state-changing request that another site made the browser send (a readable 403): the add-to-cart forms
//    on the shared cached pages carry no per-visitor antiforgery token.
app.UseCrossSiteRequestGuard();

// 4. Static files: never limited, never sessioned, never authenticated.
app.UseStaticFiles();

// 5. Routing, then who the shopper is (the ticket is read from Redis on every request) and what they may see.
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();

// 6. Rate limits (StorefrontRateLimits), AFTER authentication, so a signed-in shopper is partitioned by user (one
//    budget on every device and replica) rather than by a cookie or a shared address; BEFORE the output cache, so
//    a cache hit still counts toward the shopper's fair share (a cached page is cheap for us, but a scraper is
//    still a scraper).
app.UseRateLimiter();

// 7. Output cache after authentication: its policy must see the user (and the request's cookies).
app.UseOutputCache();

// 8. Session only where a page needs it (or a session cookie is already present, for the badge).
app.UseScopedSession();

// 9. Antiforgery for endpoints that declare it (Razor Pages validate their POSTs with a filter).
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapProductImages().RequireBrowseLimit();

app.Run();

public partial class Program;
