using System.Net;

using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>What a hostile request may be answered with.</summary>
public enum Expect
{
    /// <summary>A 4xx: ProblemDetails from an API, the friendly error page from the storefront (Kestrel's bare 414/431 aside).</summary>
    Rejected,

    /// <summary>Input the service normalizes or ignores (a search for emoji, page=-5 on the storefront): anything but a 5xx.</summary>
    Tolerated,
}

/// <summary>One row of the hostile-input table. <see cref="Body"/> makes fresh content per send.</summary>
public sealed record HostileRequest(string Name, HttpMethod Method, string Path, Func<HttpContent?>? Body = null,
    Expect Expect = Expect.Rejected, IReadOnlyDictionary<string, string>? Headers = null)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path) { Content = Body?.Invoke() };
        foreach (var (name, value) in Headers ?? new Dictionary<string, string>())
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }
        return message;
    }

    public override string ToString() => $"{Name} ({Method} {Shorten(Path)})";

    private static string Shorten(string path) => path.Length <= 100 ? path : path[..100] + "…";
}

/// <summary>Hostile bodies and strings, each built once.</summary>
public static class Hostile
{
    public const string Traversal = "..%2F..%2Fetc%2Fpasswd";
    public static readonly string TenKilobytes = new('q', 10 * 1024);
    public static readonly string OneMegabyte = new('x', 1024 * 1024);
    public static readonly string DeepNesting = new string('[', 5_000) + new string(']', 5_000);

    /// <summary>Bytes that are not UTF-8 (0xC3 0x28 is an invalid two-byte sequence).</summary>
    public static readonly byte[] InvalidUtf8 = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

    public static Func<HttpContent?> Json(string raw) => () => new StringContent(raw, Encoding.UTF8, "application/json");

    public static Func<HttpContent?> JsonBytes(byte[] raw) => () =>
    {
        var content = new ByteArrayContent(raw);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    };

    public static Func<HttpContent?> Text(string raw) => () => new StringContent(raw, Encoding.UTF8, "text/plain");

    public static Func<HttpContent?> Form(params (string Name, string Value)[] fields) =>
        () => new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    /// <summary>Malformed bodies every JSON endpoint must refuse, whatever fields it expects.</summary>
    public static IEnumerable<(string Name, Func<HttpContent?>? Body)> MalformedJsonBodies() =>
    [
        ("no body", null),
        ("empty body", Json("")),
        ("truncated JSON", Json("{")),
        ("JSON null", Json("null")),
        ("JSON array", Json("[]")),
        ("JSON string", Json("\"x\"")),
        ("raw control character", Json("{\"quantity\":\u0001}")),
        ("1 MB of junk", Json(OneMegabyte)),
        ("10,000 levels of nesting", Json(DeepNesting)),
        ("invalid UTF-8", JsonBytes(InvalidUtf8)),
    ];

    /// <summary>An API's answer to a request that must be rejected; null when it is acceptable.</summary>
    public static string? JudgeApi(HostileRequest request, HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        if (status >= 500)
        {
            return $"{request}: {status} {Shorten(body)}";
        }
        if (LooksLikeAStackTrace(body))
        {
            return $"{request}: the answer shows a stack trace";
        }
        if (request.Expect == Expect.Tolerated)
        {
            return null;
        }
        if (status is < 400)
        {
            return $"{request}: {status}, expected a 4xx";
        }
        if (AnsweredByKestrel(response.Instance()))
        {
            return null;
        }
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{request}: {status} with '{response.Content.Headers.ContentType}', expected ProblemDetails";
        }
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status
                ? null
                : $"{request}: ProblemDetails without a matching status: {Shorten(body)}";
        }
        catch (JsonException)
        {
            return $"{request}: {status} with a body that is not JSON: {Shorten(body)}";
        }
    }

    /// <summary>The storefront's answer to a hostile request; null when it is acceptable.</summary>
    public static string? JudgePage(HostileRequest request, StorefrontPage page)
    {
        var status = (int)page.Status;
        if (status >= 500)
        {
            return $"{request}: {status} {Shorten(page.Html)}";
        }
        if (LooksLikeAStackTrace(page.Html))
        {
            return $"{request}: the page shows a stack trace";
        }
        if (request.Expect == Expect.Tolerated)
        {
            return status == 200 && page.ContentType != "text/html" ? $"{request}: 200 but {page.ContentType}" : null;
        }
        if (status is < 400)
        {
            return $"{request}: {status}, expected a 4xx";
        }
        if (AnsweredByKestrel(page.Instance))
        {
            return null;
        }
        return page.ContentType == "text/html" && page.ErrorPageStatus == status
            ? null
            : $"{request}: {status} is not the readable error page ({page.ContentType}, data-status {page.ErrorPageStatus})";
    }

    /// <summary>
    /// Kestrel refuses some requests before any application code runs (a 414/431 for an oversized request line
    /// or header block, a 400 for a NUL in the path): those bare 4xx carry no X-Instance header, which the app
    /// stamps on every response it starts.
    /// </summary>
    private static bool AnsweredByKestrel(string instance) => instance.Length == 0;

    // Plain substring searches: a regex like \w+Exception is quadratic on the 1 MB echoes some of these pages contain.
    private static bool LooksLikeAStackTrace(string body) =>
        body.Contains("Exception: ", StringComparison.Ordinal) || body.Contains("\n   at ", StringComparison.Ordinal);

    private static string Shorten(string value) => value.Length <= 300 ? value : value[..300] + "…";
}
