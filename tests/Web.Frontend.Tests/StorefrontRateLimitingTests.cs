using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Refit;
using Shop.Testing;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Pages.Account;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// The storefront's limits as wired in the app, on two "replicas" (factories with their own multiplexer)
/// sharing one real Redis. Each test starts from an empty Redis and sets its own limits.
/// </summary>
public sealed partial class StorefrontRateLimitingTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _factories = [];

    public async ValueTask InitializeAsync() => await redis.ClearAsync();

    [Fact]
    public async Task TheSixthAttemptForOneAccountIsRefusedOnEveryReplicaAndTheRightPasswordGetsTheSameAnswer()
    {
        var (a, b) = (Replica(), Replica());
        for (var i = 0; i < 5; i++)
        {
            var wrong = await SignInAsync(i % 2 == 0 ? a : b, "carol", "guess-" + i);
            Assert.Equal(HttpStatusCode.OK, wrong.Status);
            Assert.Equal(LoginModel.FailureMessage, wrong.Html.TestId("login-error"));
        }

        var rightOnA = await SignInAsync(a, "carol", "carol-shops-2026");
        var wrongOnA = await SignInAsync(a, "carol", "guess-6");
        var rightOnB = await SignInAsync(b, "Carol ", "carol-shops-2026");

        foreach (var refused in new[] { rightOnA, wrongOnA, rightOnB })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
            Assert.True(refused.RetryAfter >= TimeSpan.FromSeconds(1));
            Assert.Contains("data-status=\"429\"", refused.Html, StringComparison.Ordinal);
            Assert.Null(refused.Html.TestId("login-error"));
            Assert.DoesNotContain("carol-shops-2026", refused.Html, StringComparison.Ordinal);
            Assert.Contains("name=\"username\" type=\"text\" autocomplete=\"username\" value=\"carol\"", refused.Html.Replace("Carol ", "carol", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.False(refused.SetsCookie(".shop.auth"));
        }
        Assert.Equal(Redact(wrongOnA.Html), Redact(rightOnA.Html));
    }

    [Fact]
    public async Task GetsOfTheSignInPageDoNotCountButEveryPostDoes()
    {
        var app = Replica();
        var account = "mallory-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await app.Client.GetAsync("/account/login")).StatusCode);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, account, "guess")).Status);
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(app, account, "guess")).Status);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(app, "other-" + account, "guess")).Status);
    }

    [Fact]
    public async Task OneClientTryingManyAccountsIsStoppedByThePerClientLimit()
    {
        var (a, b) = (Replica(("sign-in-client:PermitLimit", "3")), Replica(("sign-in-client:PermitLimit", "3")));

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await SignInAsync(i % 2 == 0 ? a : b, $"user{i}-{Guid.NewGuid():N}", "guess")).Status);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers);
        var keys = (await redis.KeysWithTtlAsync()).Where(k => k.Key.StartsWith("rl:", StringComparison.Ordinal)).ToList();
        Assert.Contains(keys, k => k.Key.Contains("sign-in-client:ip:", StringComparison.Ordinal));
        Assert.Contains(keys, k => k.Key.Contains("sign-in:account:user0-", StringComparison.Ordinal));
        Assert.All(keys, k => Assert.NotNull(k.Value));
    }

    [Fact]
    public async Task BrowsingAdmitsTheLimitPerShopperAcrossReplicasAndAnswersAFriendlyPageWithRetryAfter()
    {
        var (a, b) = (Replica(("browse:PermitLimit", "4")), Replica(("browse:PermitLimit", "4")));
        var shopper = await IssuedSessionAsync(a);
        var anotherShopper = await IssuedSessionAsync(b);
        string[] paths = ["/", "/images/products/1", "/products/2", "/", "/images/products/2", "/cart"];

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < paths.Length; i++)
        {
            responses.Add(await (i % 2 == 0 ? a : b).Client.SendAsync(Get(paths[i], shopper)));
        }

        // (The add that created each session came without one, so it counted toward the address, not the shopper.)
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var refused in responses.Skip(4))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            // An honest Retry-After: at least a second, at most the window (the default browse window, a minute).
            var retryAfter = refused.Headers.RetryAfter?.Delta ?? throw new Xunit.Sdk.XunitException("no Retry-After");
            Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            Assert.Equal("4", refused.Headers.GetValues("X-RateLimit-Limit").Single());
            var html = await refused.Content.ReadAsStringAsync();
            Assert.Contains($"Please try again in {retryAfter.TotalSeconds:0} seconds.", html.TestId("retry-after"), StringComparison.Ordinal);
        }
        Assert.Contains("href=\"/cart\"", await responses[5].Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await b.Client.SendAsync(Get("/", anotherShopper))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.SendAsync(Get("/css/site.css", shopper))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await a.Client.SendAsync(Get("/alive", shopper))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Client.SendAsync(Get("/error?status=404", shopper))).StatusCode);
    }

    [Fact]
    public async Task HeadAndOptionsRequestsSpendTheBrowseBudgetLikeGets()
    {
        var app = Replica(("browse:PermitLimit", "3"));
        var shopper = await IssuedSessionAsync(app);

        var statuses = new List<HttpStatusCode>();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Head, HttpMethod.Options, HttpMethod.Options, HttpMethod.Head, HttpMethod.Get })
        {
            using var response = await app.Client.SendAsync(new HttpRequestMessage(method, "/products/1") { Headers = { { "Cookie", shopper } } });
            statuses.Add(response.StatusCode);
        }

        var seen = string.Join(", ", statuses.Select(s => (int)s));
        Assert.All(statuses.Take(3), s => Assert.True((int)s < 400, seen));
        Assert.All(statuses.Skip(3), s => Assert.True(s == HttpStatusCode.TooManyRequests, seen));
    }

    /// <summary>
    /// A refused post used to be read back whole into the 429 page: a 4 MB field became a 4 MB page, and the
    /// replica's memory grew by a quarter of a gigabyte and stayed there.
    /// </summary>
    [Fact]
    public async Task ARefusedPostWithAHugeFieldGetsAShortPageWithoutItsInput()
    {
        var app = Replica(("sign-in-client:PermitLimit", "1"));
        await SignInAsync(app, "alice", "wrong");
        var huge = new string('x', 4 * 1024 * 1024);

        var form = await app.Client.GetAsync("/account/login");
        var token = StorefrontFactory.Token(await form.Content.ReadAsStringAsync());
        using var refused = await app.Client.SendAsync(Post("/account/login", Cookie(form, ".shop.af"), token,
            ("username", huge), ("password", "wrong"), ("returnUrl", "/")));
        var html = await refused.Content.ReadAsStringAsync();
        var small = await SignInAsync(app, "alice-typed-this", "wrong");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(html.Length < 64 * 1024, $"the 429 page was {html.Length:N0} characters");
        Assert.DoesNotContain("xxxxxxxx", html, StringComparison.Ordinal);
        Assert.Contains("action=\"/account/login\"", html, StringComparison.Ordinal);
        // A form of ordinary size still gets what the shopper typed back (never the password).
        Assert.Equal(HttpStatusCode.TooManyRequests, small.Status);
        Assert.Contains("value=\"alice-typed-this\"", small.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"wrong\"", small.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CartWritesBeyondTheBucketGetTheFriendlyPageWithTheFormToRetry()
    {
        var app = Replica(("cart-write:TokenLimit", "2"), ("cart-write:TokensPerPeriod", "1"), ("cart-write:ReplenishmentPeriod", "01:00:00"));
        var client = app.Configured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        async Task<HttpResponseMessage> AddAsync()
        {
            var token = StorefrontFactory.Token(await client.GetStringAsync("/products/1"));
            return await client.PostAsync("/cart/add", StorefrontFactory.Form(
                ("__RequestVerificationToken", token), ("productId", "1"), ("quantity", "3")));
        }
        // The first add creates the cart (and the session that names it); from then on the cart has its bucket.
        Assert.Equal(HttpStatusCode.Redirect, (await AddAsync()).StatusCode);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage last = null!;
        for (var i = 0; i < 3; i++)
        {
            last = await AddAsync();
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        var html = await last.Content.ReadAsStringAsync();
        Assert.Contains("action=\"/cart/add\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"productId\" value=\"1\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"quantity\" value=\"3\"", html, StringComparison.Ordinal);
        Assert.Equal(9, app.Factory.Cart.Carts.Values.Single()[1]);
    }

    [Fact]
    public async Task WithRedisDownSignInFailsClosedWithAClearMessage()
    {
        var privateRedis = new RedisServer();
        await privateRedis.StartAsync();
        var stopped = false;
        try
        {
            var app = Replica(privateRedis);
            var form = await app.Client.GetAsync("/account/login");
            var token = StorefrontFactory.Token(await form.Content.ReadAsStringAsync());
            var cookie = Cookie(form, ".shop.af");

            await privateRedis.DisposeAsync();
            stopped = true;
            var response = await app.Client.SendAsync(Post("/account/login", cookie, token, ("username", "alice"), ("password", "alice-shops-2026")));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Equal("Sign-in is temporarily unavailable", Regex.Match(html, "<h1>([^<]*)</h1>").Groups[1].Value);
            Assert.False(response.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(".shop.auth=", StringComparison.Ordinal)));
        }
        finally
        {
            if (!stopped)
            {
                await privateRedis.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ACartApi429BecomesTheFriendlyPageWithCartApisRetryAfter()
    {
        await using var factory = new StorefrontFactory(redis, cartOverride: new RefusingCart());
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = StorefrontFactory.Token(await client.GetStringAsync("/products/1"));

        var response = await client.PostAsync("/cart/add", StorefrontFactory.Form(
            ("__RequestVerificationToken", token), ("productId", "1"), ("quantity", "2")));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Please try again in 7 seconds.", html.TestId("retry-after"), StringComparison.Ordinal);
        Assert.Contains("name=\"quantity\" value=\"2\"", html, StringComparison.Ordinal);
    }

    /// <summary>Cart.Api answering every write with its own 429 (Retry-After: 7).</summary>
    private sealed class RefusingCart : ICartApi
    {
        private readonly TestCart _reads = new();

        public Task<Cart> GetCartAsync(string cartId, string token, CancellationToken cancellationToken) => _reads.GetCartAsync(cartId, token, cancellationToken);
        public Task<Cart> AddItemAsync(string cartId, AddCartItem item, string token, CancellationToken cancellationToken) => RefuseAsync<Cart>();
        public Task<Cart> SetQuantityAsync(string cartId, int productId, SetCartQuantity quantity, string token, CancellationToken cancellationToken) => RefuseAsync<Cart>();
        public Task<Cart> RemoveItemAsync(string cartId, int productId, string token, CancellationToken cancellationToken) => RefuseAsync<Cart>();
        public Task<Cart> MergeAsync(string cartId, MergeCarts merge, string token, CancellationToken cancellationToken) => RefuseAsync<Cart>();
        public Task<IApiResponse<Order>> CheckoutAsync(string cartId, string idempotencyKey, string token, CancellationToken cancellationToken) => RefuseAsync<IApiResponse<Order>>();
        public Task<Order> GetOrderAsync(string orderId, string token, CancellationToken cancellationToken) => _reads.GetOrderAsync(orderId, token, cancellationToken);

        private static async Task<T> RefuseAsync<T>()
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
            throw await ApiException.Create(new HttpRequestMessage(HttpMethod.Post, "http://cart-api/api/carts/x/items"),
                HttpMethod.Post, response, new RefitSettings());
        }
    }

    private sealed record App(StorefrontFactory Factory, WebApplicationFactory<Program> Configured, HttpClient Client);

    private sealed record Answer(HttpStatusCode Status, string Html, TimeSpan? RetryAfter, IReadOnlyList<string> Cookies)
    {
        public bool SetsCookie(string name) => Cookies.Any(c => c.StartsWith(name + "=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task InventedSessionCookiesAreNoSessionSoTheyShareTheAddressBudgetAndCreateNoKeys()
    {
        var app = Replica(("browse:PermitLimit", "5"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            // A new made-up value every time, as the probe sent 700: each one used to be a fresh budget.
            using var response = await app.Client.SendAsync(Get("/products/1", ".shop.session=" + Convert.ToBase64String(Guid.NewGuid().ToByteArray())));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.All(statuses.Skip(5), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        var keys = (await redis.KeysWithTtlAsync()).Keys.ToList();
        Assert.DoesNotContain(keys, k => k.StartsWith("shop:session:", StringComparison.Ordinal));
        Assert.Single(keys, k => k.StartsWith("rl:sw:{browse:", StringComparison.Ordinal) && !k.EndsWith(":stats", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PaddedCopiesOfARealSessionCookieAreThatSessionAndShareItsBudget()
    {
        var app = Replica(("browse:PermitLimit", "6"));
        var issued = await IssuedSessionAsync(app);
        var value = issued[(issued.IndexOf('=') + 1)..];
        string[] copies = [value, " " + value, value + " ", value[..8] + " " + value[8..], value + "  ", "  " + value, value, value];

        foreach (var copy in copies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/products/2");
            request.Headers.TryAddWithoutValidation("Cookie", ".shop.session=" + copy);
            using var response = await app.Client.SendAsync(request);
        }

        // A copy the session middleware reads as the session counts as the session; one it does not read is no
        // session and counts as the address. None is a budget of its own (the probe got 400 of 400 through).
        var browseCounters = (await redis.KeysWithTtlAsync()).Keys
            .Where(k => k.StartsWith("rl:sw:{browse:", StringComparison.Ordinal) && !k.EndsWith(":stats", StringComparison.Ordinal)).ToList();
        Assert.InRange(browseCounters.Count, 1, 2);
        Assert.All(browseCounters, k => Assert.Matches(@"^rl:sw:\{browse:(session:[0-9a-f]{24}|ip:[^}]+)\}$", k));
    }

    [Fact]
    public async Task AddsWithAFreshInventedSessionEachTimeCreateAtMostOneBucketOfCartsAndSessionsPerAddress()
    {
        const int bucket = 4;
        var app = Replica(("cart-write:TokenLimit", $"{bucket}"), ("cart-write:TokensPerPeriod", "1"), ("cart-write:ReplenishmentPeriod", "01:00:00"),
            ("browse:PermitLimit", "1000"));

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 25; i++)
        {
            // The amplification the probe measured: 1,000 adds, each with a made-up session, each a new 7-day cart.
            using var add = Post("/cart/add", ".shop.session=" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()), "", ("productId", "1"), ("quantity", "1"));
            using var response = await app.Client.SendAsync(add);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(bucket, statuses.Count(s => s == HttpStatusCode.Redirect));
        Assert.All(statuses.Where(s => s != HttpStatusCode.Redirect), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));
        Assert.Equal(bucket, app.Factory.Cart.Carts.Count);
        Assert.Equal(bucket, (await redis.KeysWithTtlAsync()).Keys.Count(k => k.StartsWith("shop:session:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AnAntiforgeryTokenIsGoodOnlyWithTheSessionThatRenderedIt()
    {
        var app = Replica();
        var mine = await IssuedSessionAsync(app);
        var planted = await IssuedSessionAsync(app);
        using var form = await app.Client.SendAsync(Get("/account/login", mine));
        var antiforgery = Cookie(form, ".shop.af");
        var token = StorefrontFactory.Token(await form.Content.ReadAsStringAsync());
        (string, string)[] fields = [("username", "bob"), ("password", "bob-shops-2026"), ("returnUrl", "/")];

        using var withPlanted = await app.Client.SendAsync(Post("/account/login", $"{antiforgery}; {planted}", token, fields));
        using var withNone = await app.Client.SendAsync(Post("/account/login", antiforgery, token, fields));
        using var withInvented = await app.Client.SendAsync(Post("/account/login", $"{antiforgery}; .shop.session=bm90LWlzc3VlZA", token, fields));
        using var withMine = await app.Client.SendAsync(Post("/account/login", $"{antiforgery}; {mine}", token, fields));

        Assert.Equal(HttpStatusCode.BadRequest, withPlanted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withNone.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withInvented.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withMine.StatusCode);
    }

    /// <summary>A session the storefront issued: the one an add to the cart creates (its <c>.shop.session=…</c> cookie).</summary>
    private static async Task<string> IssuedSessionAsync(App app)
    {
        using var add = await app.Client.PostAsync("/cart/add", StorefrontFactory.Form(("productId", "2"), ("quantity", "1")));
        Assert.Equal(HttpStatusCode.Redirect, add.StatusCode);
        return Cookie(add, ".shop.session");
    }

    private App Replica(params (string Key, string Value)[] limits) => Replica(redis, limits);

    private App Replica(RedisServer server, params (string Key, string Value)[] limits)
    {
        var factory = new StorefrontFactory(server);
        _factories.Add(factory);
        var configured = factory.WithWebHostBuilder(builder =>
        {
            // The shipped per-account limit (appsettings.json: 5), a generous per-client one, so each test
            // meets only the limit it is about.
            builder.UseSetting("RateLimiting:Policies:sign-in:PermitLimit", "5");
            builder.UseSetting("RateLimiting:Policies:sign-in-client:PermitLimit", "100");
            foreach (var (key, value) in limits)
            {
                builder.UseSetting("RateLimiting:Policies:" + key, value);
            }
        });
        _factories.Add(configured);
        // No cookie jar: each request carries exactly the cookies the test gives it, on whichever replica.
        return new App(factory, configured, configured.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }));
    }

    /// <summary>Renders the form on the replica, then posts it there with its antiforgery cookie.</summary>
    private static async Task<Answer> SignInAsync(App app, string user, string password)
    {
        var form = await app.Client.GetAsync("/account/login");
        var token = StorefrontFactory.Token(await form.Content.ReadAsStringAsync());
        var response = await app.Client.SendAsync(Post("/account/login", Cookie(form, ".shop.af"), token,
            ("username", user), ("password", password), ("returnUrl", "/")));
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.RetryAfter?.Delta,
            response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : []);
    }

    private static HttpRequestMessage Get(string path, string cookie) =>
        new(HttpMethod.Get, path) { Headers = { { "Cookie", cookie } } };

    private static HttpRequestMessage Post(string path, string cookie, string token, params (string Key, string Value)[] fields) =>
        new(HttpMethod.Post, path)
        {
            Headers = { { "Cookie", cookie } },
            Content = StorefrontFactory.Form([("__RequestVerificationToken", token), .. fields]),
        };

    private static string Cookie(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];

    // The two pages differ only in their fresh antiforgery token and, by a second, in the time to wait.
    private static string Redact(string html) => TokenValue().Replace(RetrySeconds().Replace(html, "N seconds"), "value=\"TOKEN\"");

    [GeneratedRegex("value=\"CfDJ8[^\"]+\"")]
    private static partial Regex TokenValue();

    [GeneratedRegex(@"\d+ seconds?")]
    private static partial Regex RetrySeconds();

    public async ValueTask DisposeAsync()
    {
        foreach (var factory in Enumerable.Reverse(_factories))
        {
            await factory.DisposeAsync();
        }
    }
}
