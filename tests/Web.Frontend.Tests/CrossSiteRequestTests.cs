using System.Net;
using Shop.Testing;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// <c>/cart/add</c> carries no antiforgery token (its forms are on pages every visitor shares through the output
/// cache), so a post another site made the browser send is refused by what the browser says about it: never a
/// change to a cart.
/// </summary>
public sealed class CrossSiteRequestTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://evil.example")]
    [InlineData("Origin", "http://localhost:5081")]
    [InlineData("Origin", "null")]
    public async Task ACrossSiteAddIsRefusedWithAReadablePageAndNoCartChanges(string header, string value)
    {
        await using var app = new StorefrontFactory(redis);
        var shopper = app.NewClient();
        using var add = new HttpRequestMessage(HttpMethod.Post, "/cart/add") { Content = StorefrontFactory.Form(("productId", "1"), ("quantity", "1")) };
        add.Headers.Add(header, value);

        var response = await shopper.SendAsync(add);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("data-testid=\"cross-site\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(app.Cart.Carts);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "same-origin")]
    [InlineData("Origin", "http://localhost")]
    [InlineData(null, null)]
    public async Task AnAddFromTheShopsOwnPageIsAccepted(string? header, string? value)
    {
        await using var app = new StorefrontFactory(redis);
        var shopper = app.NewClient();
        using var add = new HttpRequestMessage(HttpMethod.Post, "/cart/add") { Content = StorefrontFactory.Form(("productId", "1"), ("quantity", "1")) };
        if (header is not null)
        {
            add.Headers.Add(header, value);
        }

        var response = await shopper.SendAsync(add);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/cart", response.Headers.Location?.OriginalString);
        Assert.Equal(1, Assert.Single(app.Cart.Carts).Value[1]);
    }

    [Fact]
    public async Task ACrossSitePostToAFormWithATokenIsRefusedToo()
    {
        await using var app = new StorefrontFactory(redis);
        var shopper = app.NewClient();
        var login = await shopper.GetStringAsync("/account/login");
        using var signIn = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = StorefrontFactory.Form(("__RequestVerificationToken", StorefrontFactory.Token(login)), ("username", "alice"), ("password", "alice-shops-2026")),
        };
        signIn.Headers.Add("Sec-Fetch-Site", "cross-site");

        var response = await shopper.SendAsync(signIn);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".shop.auth=", StringComparison.Ordinal)));
    }
}
