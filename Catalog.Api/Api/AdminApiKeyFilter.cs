using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Shop.Catalog.Api.Api;

/// <summary>
/// Guards catalog writes with the shared <c>X-Api-Key</c> (the AppHost's <c>catalog-admin-key</c> secret).
/// Missing → 401, wrong → 403. An empty configured key refuses every write: a deployment that forgot the
/// secret must fail closed, not open.
/// </summary>
public sealed class AdminApiKeyFilter(IOptionsMonitor<CatalogOptions> options) : IEndpointFilter
{
    public const string HeaderName = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var provided = context.HttpContext.Request.Headers[HeaderName].ToString();
        if (provided.Length == 0)
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized, title: $"The {HeaderName} header is required."));
        }

        var expected = options.CurrentValue.AdminApiKey;
        if (expected.Length == 0 || !FixedTimeEquals(provided, expected))
        {
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden, title: $"The {HeaderName} is not valid."));
        }

        return next(context);
    }

    // Hashing first gives both sides the same length, so the comparison time reveals neither content nor length.
    private static bool FixedTimeEquals(string provided, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(provided)),
            SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
