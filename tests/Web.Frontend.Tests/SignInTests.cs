using System.Net;
using Shop.Testing;
using Shop.Web.Frontend.Pages.Account;

namespace Shop.Web.Frontend.Tests;

public sealed class SignInTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static async Task<HttpResponseMessage> SignInAsync(HttpClient client, string user, string password, string returnUrl = "/")
    {
        var page = new StorefrontPage(HttpStatusCode.OK, await client.GetStringAsync("/account/login"), "");
        return await client.PostAsync("/account/login", StorefrontFactory.Form(
            [("__RequestVerificationToken", page.AntiforgeryToken ?? ""),
             ("username", user), ("password", password), ("returnUrl", returnUrl), .. page.KeepCartFields]));
    }

    private static string AuthCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".shop.auth=", StringComparison.Ordinal)).Split(';')[0];

    [Fact]
    public async Task PostingTheSignInFormWithoutAnAntiforgeryTokenIsRejected()
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();

        var response = await client.PostAsync("/account/login", StorefrontFactory.Form(("username", "alice"), ("password", "alice-shops-2026")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".shop.auth=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AWrongPasswordAndAnUnknownUserGetTheSameAnswer()
    {
        await using var app = new StorefrontFactory(redis);

        var wrongPassword = await SignInAsync(app.NewClient(), "alice", "not-her-password");
        var unknownUser = await SignInAsync(app.NewClient(), "mallory", "not-her-password");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownUser.StatusCode);
        Assert.Equal(LoginModel.FailureMessage, (await wrongPassword.Content.ReadAsStringAsync()).TestId("login-error"));
        Assert.Equal(LoginModel.FailureMessage, (await unknownUser.Content.ReadAsStringAsync()).TestId("login-error"));
    }

    [Fact]
    public async Task SigningInStoresTheTicketInRedisForTheCookieLifetime()
    {
        await redis.ClearAsync();
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();

        var response = await SignInAsync(client, "alice", "alice-shops-2026", "/cart");
        var home = await client.GetStringAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/cart", response.Headers.Location?.OriginalString);
        Assert.Equal("Alice Liddell", home.TestId("user-name"));
        var keys = await redis.KeysWithTtlAsync();
        var ticket = Assert.Single(keys, k => k.Key.StartsWith("shop:auth:", StringComparison.Ordinal));
        Assert.InRange(ticket.Value!.Value, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8));
        Assert.True(keys.ContainsKey("shop:user:alice:sessions"));
    }

    [Fact]
    public async Task SignInDropsThePlantedSessionAndMergesTheAnonymousCart()
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();
        var home = await client.GetStringAsync("/products/1");
        var add = await client.PostAsync("/cart/add", StorefrontFactory.Form(
            ("__RequestVerificationToken", StorefrontFactory.Token(home)), ("productId", "1"), ("quantity", "2")));
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        var anonymousCart = Assert.Single(app.Cart.Carts.Keys, k => k.StartsWith("a-", StringComparison.Ordinal));

        var signIn = await SignInAsync(client, "bob", "bob-shops-2026");

        Assert.Contains(signIn.Headers.GetValues("Set-Cookie"),
            c => c.StartsWith(".shop.session=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(("u-bob", anonymousCart), app.Cart.Merges);
        var cart = await client.GetStringAsync("/cart");
        Assert.Equal("2", cart.TestId("cart-count"));
        Assert.Contains("data-testid=\"cart-line\"", cart);
    }

    [Fact]
    public async Task TheSignInPageShowsTheCartItWouldAddAndAShopperCanLeaveItOut()
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(client, productId: 1, quantity: 2)).StatusCode);

        var form = await LoginFormAsync(client);
        // The box left unticked: a browser sends no keepCart at all.
        var signIn = await client.PostAsync("/account/login", StorefrontFactory.Form(
            ("__RequestVerificationToken", form.AntiforgeryToken!), ("username", "bob"), ("password", "bob-shops-2026"),
            ("returnUrl", "/"), ("cartContents", form.CartToMerge!)));

        Assert.Contains("data-testid=\"merge-line\" data-product-id=\"1\"", form.Html, StringComparison.Ordinal);
        Assert.Equal("1x2", form.CartToMerge);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Empty(app.Cart.Merges);
    }

    /// <summary>
    /// Someone else holding the same session cookie (one planted in this browser) adds to the cart after the
    /// sign-in form was shown: the shopper has not seen that, so it does not join their account.
    /// </summary>
    [Fact]
    public async Task ACartThatChangedAfterTheSignInFormWasShownIsNotMergedUnseen()
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(client, productId: 1, quantity: 1)).StatusCode);
        var form = await LoginFormAsync(client);
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync(client, productId: 3, quantity: 5)).StatusCode);

        var refused = await client.PostAsync("/account/login", StorefrontFactory.Form(
            [("__RequestVerificationToken", form.AntiforgeryToken!), ("username", "bob"), ("password", "bob-shops-2026"),
             ("returnUrl", "/"), .. form.KeepCartFields]));
        var shownAgain = new StorefrontPage(refused.StatusCode, await refused.Content.ReadAsStringAsync(), "");
        var signIn = await SignInAsync(client, "bob", "bob-shops-2026");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Equal(LoginModel.CartChangedMessage, shownAgain.LoginError);
        Assert.Equal("1x1,3x5", shownAgain.CartToMerge);
        Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".shop.auth=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Single(app.Cart.Merges, merge => merge.Into == "u-bob");
    }

    [Theory]
    [InlineData("/cart\r\nSet-Cookie: planted=1")]
    [InlineData("/products/caf\u00e9")]
    [InlineData("/\u0001")]
    [InlineData("/\\other-site")]
    public async Task AReturnUrlNoLocationHeaderCanCarryFallsBackToTheHomePageAndLeavesOneSignedInDevice(string returnUrl)
    {
        await redis.ClearAsync();
        await using var app = new StorefrontFactory(redis);

        var response = await SignInAsync(app.NewClient(), "carol", "carol-shops-2026", returnUrl);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Single((await redis.KeysWithTtlAsync()).Keys, k => k.StartsWith("shop:auth:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRedirectToSignInIsRelativeWhateverHostTheRequestNames()
    {
        await using var app = new StorefrontFactory(redis);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/checkout");
        request.Headers.Host = "forged.invalid";

        var response = await app.NewClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fcheckout", response.Headers.Location?.OriginalString);
    }

    private static Task<HttpResponseMessage> AddAsync(HttpClient client, int productId, int quantity) =>
        client.PostAsync("/cart/add", StorefrontFactory.Form(("productId", $"{productId}"), ("quantity", $"{quantity}")));

    private static async Task<StorefrontPage> LoginFormAsync(HttpClient client) =>
        new(HttpStatusCode.OK, await client.GetStringAsync("/account/login"), "");

    [Fact]
    public async Task SigningOutOnOneReplicaMakesTheCookieAnonymousOnAnother()
    {
        await using var replicaA = new StorefrontFactory(redis);
        await using var replicaB = new StorefrontFactory(redis);
        var browser = replicaA.NewClient();
        var cookie = AuthCookie(await SignInAsync(browser, "carol", "carol-shops-2026"));

        var before = await GetWithCookieAsync(replicaB, "/", cookie);
        var page = await browser.GetStringAsync("/");
        await browser.PostAsync("/account/logout", StorefrontFactory.Form(("__RequestVerificationToken", StorefrontFactory.Token(page))));
        var after = await GetWithCookieAsync(replicaB, "/", cookie);

        Assert.Equal("Carol Danvers", before.TestId("user-name"));
        Assert.Null(after.TestId("user-name"));
    }

    [Fact]
    public async Task RevokingADeviceFromTheSessionsPageSignsItOutEverywhere()
    {
        await using var replicaA = new StorefrontFactory(redis);
        await using var replicaB = new StorefrontFactory(redis);
        var laptop = replicaA.NewClient();
        var phoneCookie = AuthCookie(await SignInAsync(replicaA.NewClient(), "alice", "alice-shops-2026"));
        await SignInAsync(laptop, "alice", "alice-shops-2026");

        var sessions = await laptop.GetStringAsync("/account/sessions");
        var other = System.Text.RegularExpressions.Regex.Matches(sessions, "data-session-id=\"([a-f0-9]+)\" data-current=\"false\"")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("data-testid=\"this-device\"", sessions);
        Assert.NotEmpty(other);
        Assert.Equal("Alice Liddell", (await GetWithCookieAsync(replicaB, "/", phoneCookie)).TestId("user-name"));

        var revoke = await laptop.PostAsync("/account/sessions?handler=revokeothers",
            StorefrontFactory.Form(("__RequestVerificationToken", StorefrontFactory.Token(sessions))));

        Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        Assert.Null((await GetWithCookieAsync(replicaB, "/", phoneCookie)).TestId("user-name"));
        Assert.Equal("Alice Liddell", (await laptop.GetStringAsync("/")).TestId("user-name"));
    }

    [Fact]
    public async Task CheckoutSendsAnAnonymousShopperToSignInWithTheReturnUrl()
    {
        await using var app = new StorefrontFactory(redis);

        var response = await app.NewClient().GetAsync("/checkout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fcheckout", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task AnOrderOfAnotherUserIsNotFound()
    {
        await using var app = new StorefrontFactory(redis);
        var client = app.NewClient();
        await SignInAsync(client, "alice", "alice-shops-2026");

        var response = await client.GetAsync("/orders/" + new string('a', 32));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"error-page\"", await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> GetWithCookieAsync(StorefrontFactory replica, string path, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        var response = await replica.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false }).SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
