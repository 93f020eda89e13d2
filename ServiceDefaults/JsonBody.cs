using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Reads a JSON request body by hand instead of letting minimal APIs bind it: the framework answers malformed
/// JSON with a bare 400, while Shop's APIs answer a ProblemDetails that names the offending field. A body that is
/// not declared as JSON is refused (415) before it is read: that also closes the CORS-"simple" path, where any web
/// page in a browser could post <c>text/plain</c> to an internal API without a preflight.
/// </summary>
public static class JsonBody
{
    /// <summary>The field named when the problem is the body as a whole (not JSON, not an object).</summary>
    public const string BodyField = "body";

    public static async Task<JsonBodyResult<T>> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return new(null, null, null, UnsupportedMediaType: true);
        }
        try
        {
            return await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken) is { } value
                ? new(value, null, null, false)
                : new(null, BodyField, "A JSON object is required.", false);
        }
        catch (JsonException ex)
        {
            // $.quantity → quantity; the document root → body.
            var field = ex.Path?.TrimStart('$').TrimStart('.');
            return new(null, string.IsNullOrEmpty(field) ? BodyField : field, "Malformed JSON, or a value of the wrong type.", false);
        }
    }

    /// <summary>The 415 ProblemDetails for a body that is not JSON.</summary>
    public static IResult UnsupportedMediaType() => TypedResults.Problem(
        statusCode: StatusCodes.Status415UnsupportedMediaType, title: "The body must be JSON (Content-Type: application/json).");
}

/// <summary>The body (<see cref="Value"/>), or why not: not JSON at all, or the field that is wrong and how.</summary>
public readonly record struct JsonBodyResult<T>(T? Value, string? Field, string? Error, bool UnsupportedMediaType) where T : class;
