using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The admin credential: header <c>X-Api-Key</c> against configuration <c>Admin:ApiKey</c> (the AppHost's
/// generated secret), for operator actions such as flushing the cache or resetting the limits. Missing header →
/// 401; no key configured → 403 for everyone, so a deployment that forgot the secret fails closed, not open;
/// wrong key → 403.
/// </summary>
public static class AdminApiKey
{
    public const string HeaderName = "X-Api-Key";
    public const string ConfigurationKey = "Admin:ApiKey";

    public static TBuilder RequireAdminApiKey<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilter(async (context, next) =>
            Refusal(context.HttpContext) is { } refusal ? refusal : await next(context));

    private static IResult? Refusal(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(HeaderName, out var presented))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: $"The {HeaderName} header is required.");
        }
        var expected = context.RequestServices.GetRequiredService<IConfiguration>()[ConfigurationKey];
        if (string.IsNullOrEmpty(expected))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No admin API key is configured on this service.");
        }
        return SharedSecrets.FixedTimeEquals(presented.ToString(), expected)
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: $"The {HeaderName} is not valid.");
    }
}
