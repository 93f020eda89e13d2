using System.Net;

namespace Shop.EndToEnd.Tests.RateLimiting;

/// <summary>
/// Storefront requests with explicit cookies over a replica-hopping client: every request opens a new
/// connection (so lands on a random replica) and carries exactly the cookies given, so one shopper's
/// requests can be fired concurrently.
/// </summary>
internal static class StorefrontVisitor
{
    public sealed record SignInAnswer(StorefrontPage Page, TimeSpan? RetryAfter, string? AuthCookie)
    {
        public HttpStatusCode Status => Page.Status;
    }

    /// <summary>Renders the sign-in form (on some replica) and posts it (on some replica, maybe another).</summary>
    public static async Task<SignInAnswer> SignInAsync(HttpClient client, string user, string password)
    {
        using var form = await client.GetAsync("/account/login");
        form.EnsureSuccessStatusCode();
        var token = (await StorefrontPage.ReadAsync(form)).AntiforgeryToken
            ?? throw new Xunit.Sdk.XunitException("The sign-in page has no antiforgery token.");
        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Headers = { { "Cookie", Html.SetCookie(form, ".shop.af") ?? throw new Xunit.Sdk.XunitException("No .shop.af cookie was set.") } },
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["username"] = user,
                ["password"] = password,
                ["returnUrl"] = "/",
            }),
        };
        using var response = await client.SendAsync(post);
        return new SignInAnswer(await StorefrontPage.ReadAsync(response), response.Headers.RetryAfter?.Delta, Html.SetCookie(response, ".shop.auth"));
    }

    /// <summary>Signs a demo account in and returns its <c>.shop.auth=…</c> cookie.</summary>
    public static async Task<string> SignedInCookieAsync(HttpClient client, string user)
    {
        var answer = await SignInAsync(client, user, DemoAccounts.Password(user));
        Assert.True(answer.Status == HttpStatusCode.Redirect && answer.AuthCookie is not null,
            $"Signing {user} in answered {answer.Status}.");
        return answer.AuthCookie!;
    }

    public static HttpRequestMessage Get(string path, string cookie) =>
        new(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } };
}
