using Microsoft.Extensions.Hosting;
using Shop.Testing;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// The storefront believes <c>X-Forwarded-For</c> only from the gateway, which proves itself with the shared
/// <c>Gateway:Key</c>; the address it believes is the one a sign-in records and the sessions page shows.
/// </summary>
public sealed class GatewayForwardedHeadersTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task TheAddressTheGatewayForwardsIsTheAddressTheSessionRecords()
    {
        var sessions = await SignInAndListSessionsAsync(("X-Forwarded-For", "203.0.113.7"), (GatewayTrust.HeaderName, TestSecrets.GatewayKey));

        Assert.Contains("203.0.113.7", sessions, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-gateway-key-0123456789abcdef")]
    [InlineData(TestSecrets.GatewayKey + "x")]
    public async Task AForwardedAddressWithoutTheGatewayKeyIsIgnored(string? presentedKey)
    {
        var sessions = await SignInAndListSessionsAsync(presentedKey is null
            ? [("X-Forwarded-For", "203.0.113.8")]
            : [("X-Forwarded-For", "203.0.113.8"), (GatewayTrust.HeaderName, presentedKey)]);

        Assert.DoesNotContain("203.0.113.8", sessions, StringComparison.Ordinal);
    }

    private async Task<string> SignInAndListSessionsAsync(params (string Name, string Value)[] headers)
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();
        foreach (var (name, value) in headers)
        {
            client.DefaultRequestHeaders.Add(name, value);
        }
        var login = await client.GetStringAsync("/account/login");
        using var signedIn = await client.PostAsync("/account/login", StorefrontFactory.Form(
            ("__RequestVerificationToken", StorefrontFactory.Token(login)),
            ("username", "carol"), ("password", "carol-shops-2026"), ("returnUrl", "/account/sessions")));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        var sessions = await client.GetStringAsync("/account/sessions");
        Assert.Contains("Carol", sessions, StringComparison.Ordinal);
        return sessions;
    }
}
