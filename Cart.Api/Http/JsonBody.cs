using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Shop.Cart.Api.Http;

/// <summary>
/// Reads a JSON body itself instead of letting minimal APIs bind it: the framework answers malformed JSON with
/// a bare 400, while the contract wants a ProblemDetails that names the offending field.
/// </summary>
internal static class JsonBody
{
    public const string BodyField = "body";

    /// <summary>The body, or null with the reason added to <paramref name="errors"/>.</summary>
    public static async Task<T?> ReadAsync<T>(
        HttpRequest request, JsonTypeInfo<T> typeInfo, ValidationErrors errors, CancellationToken cancellationToken) where T : class
    {
        try
        {
            var value = await JsonSerializer.DeserializeAsync(request.Body, typeInfo, cancellationToken);
            if (value is null)
            {
                errors.Add(BodyField, "A JSON object is required.");
            }
            return value;
        }
        catch (JsonException ex)
        {
            errors.Add(FieldOf(ex.Path), "Malformed JSON, or a value of the wrong type.");
            return null;
        }
    }

    /// <summary><c>$.quantity</c> → <c>quantity</c>; the document root → <c>body</c>.</summary>
    private static string FieldOf(string? path)
    {
        var field = path?.TrimStart('$').TrimStart('.');
        return string.IsNullOrEmpty(field) ? BodyField : field;
    }
}
