using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shop.Catalog.Api.Api;

/// <summary>
/// Reads a JSON body by hand instead of letting the framework bind it: a malformed body then becomes a
/// 400 ValidationProblem that names the offending field (from the JSON path), never an empty 400 or a 500.
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "The body must be JSON (Content-Type: application/json)."));
        }

        try
        {
            var value = await request.ReadFromJsonAsync(typeInfo, request.HttpContext.RequestAborted);
            return value is null
                ? (null, Invalid("body", "A JSON object is required."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return (null, Invalid(field, "The body is not valid JSON for this request."));
        }
    }

    private static IResult Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
