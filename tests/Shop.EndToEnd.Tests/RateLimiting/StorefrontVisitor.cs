using System.Net;
using System.Text.RegularExpressions;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.RateLimiting;

/// <summary>
/// Storefront requests with explicit cookies over a replica-hopping client: every request opens a new
/// connection (so lands on a random replica) and carries exactly the cookies given, so one shopper's
/// requests can be fired concurrently.
/// </summary>
internal static partial class StorefrontVisitor
{
    public sealed record SignInAnswer(HttpStatusCode Status, string Html, string Instance, TimeSpan? RetryAfter, string? AuthCookie);

    /// <summary>Renders the sign-in form (on some replica) and posts it (on some replica, maybe another).</summary>
    public static async Task<SignInAnswer> SignInAsync(HttpClient client, string user, string password)
    {
        using var form = await client.GetAsync("/account/login");
        form.EnsureSuccessStatusCode();
        var token = Token(await form.Content.ReadAsStringAsync());
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Headers = { { "Cookie", Cookie(form, ".shop.af") } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["username"] = user,
                ["password"] = password,
                ["returnUrl"] = "/",
            }),
        };
        using var response = await client.SendAsync(post);
        return new SignInAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Instance(),
            response.Headers.RetryAfter?.Delta, TryCookie(response, ".shop.auth"));
    }

    /// <summary>Signs a demo account in and returns its <c>.shop.auth=…</c> cookie.</summary>
    public static async Task<string> SignedInCookieAsync(HttpClient client, string user)
    {
        var answer = await SignInAsync(client, user, $"{user}-shops-2026");
        Assert.True(answer.Status == HttpStatusCode.Redirect && answer.AuthCookie is not null,
            $"Signing {user} in answered {answer.Status}.");
        return answer.AuthCookie!;
    }

    public static HttpRequestMessage Get(string path, string cookie) =>
        new(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } };

    public static bool IsFriendly429Page(string html) =>
        html.Contains("data-testid=\"error-page\" data-status=\"429\"", StringComparison.Ordinal)
        && html.Contains("data-testid=\"retry-after\"", StringComparison.Ordinal);

    public static string? LoginError(string html) =>
        LoginErrorPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    private static string Token(string html) => TokenPattern().Match(html) is { Success: true } m
        ? m.Groups[1].Value
        : throw new Xunit.Sdk.XunitException("The sign-in page has no antiforgery token.");

    private static string Cookie(HttpResponseMessage response, string name) =>
        TryCookie(response, name) ?? throw new Xunit.Sdk.XunitException($"No {name} cookie was set.");

    private static string? TryCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(name + "=", StringComparison.Ordinal) && !c.StartsWith(name + "=;", StringComparison.Ordinal))?.Split(';')[0]
            : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("data-testid=\"login-error\">([^<]*)<")]
    private static partial Regex LoginErrorPattern();
}
