using static Shop.EndToEnd.Tests.Reliability.Hostile;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>
/// Table-driven hostile input against every endpoint of the three services: each request must be refused
/// with a 4xx (ProblemDetails from the APIs, the friendly page from the storefront) or, where the input is
/// merely odd, normalized — never a 5xx or a stack trace — and Redis must hold exactly what it held before.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class HostileInputTests(ReliabilityAppFixture shop) : IAsyncLifetime
{
    private const int Parallelism = 4;
    private const string UnknownId = "2147483647";
    private static readonly string ValidAnonymousCart = "a-" + Guid.NewGuid().ToString("N");
    private static readonly string SomeHex = Guid.NewGuid().ToString("N");

    private static readonly string[] BadCartIds =
    [
        "a-XYZ", "a-" + new string('0', 31), "A-" + SomeHex, "a-" + SomeHex.ToUpperInvariant(), "u-", "u-" + new string('a', 64),
        "u-Alice", "u-ali%20ce", "u-alice%0A", "u-alice%0D%0A", "u-alice%00", "u-al%C3%AFce", Traversal, "%2e%2e",
        "a-" + new string('0', 4_000), "%F0%9F%8E%89",
    ];

    private static readonly string[] BadNumericIds =
        ["abc", "-1", "0", "99999999999", "1.5", "1e3", "%201", "%EF%BC%91", Traversal, "1%00", "1%0A"];

    public async ValueTask InitializeAsync() => await shop.WaitUntilEveryServiceIsHealthyAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task CartApiRefusesHostileInputWithProblemDetailsAndWritesNothing()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Cart, allowRedirects: false);
        await AssertRefusedAndNothingWrittenAsync(CartApiRequests(), r => r, async request =>
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            return JudgeApi(request, response, await response.Content.ReadAsStringAsync());
        });
    }

    [Fact]
    public async Task CatalogApiRefusesHostileInputWithProblemDetailsAndWritesNothing()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Catalog, allowRedirects: false);
        await AssertRefusedAndNothingWrittenAsync(CatalogApiRequests(), r => r, async request =>
        {
            using var message = request.ToMessage();
            using var response = await client.SendAsync(message);
            return JudgeApi(request, response, await response.Content.ReadAsStringAsync());
        });
    }

    [Fact]
    public async Task StorefrontAnswersHostileInputWithAReadablePageAndWritesNothing()
    {
        var storefront = shop.Endpoint(ShopResources.Frontend);
        using var stranger = new Shopper(storefront, followRedirects: false);
        using var anonymous = new Shopper(storefront, followRedirects: false);
        var anonymousToken = await anonymous.TokenFromAsync("/account/login");
        using var carol = new Shopper(storefront, followRedirects: false);
        await carol.SignInAsync("carol");
        // Carol's cart is empty, so no hostile checkout below could place an order even if it got through.
        using (var carts = shop.CreateReplicaHoppingClient(ShopResources.Cart))
        {
            (await carts.DeleteAsync("/api/carts/u-carol")).EnsureSuccessStatusCode();
        }
        var carolToken = await carol.TokenFromAsync("/cart");

        var rows = StrangerRequests().Select(r => (Browser: stranger, Request: r))
            .Concat(AnonymousFormRequests(anonymousToken).Select(r => (Browser: anonymous, Request: r)))
            .Concat(SignedInRequests(carolToken).Select(r => (Browser: carol, Request: r)));

        await AssertRefusedAndNothingWrittenAsync(rows, row => row.Request, async row =>
        {
            using var message = row.Request.ToMessage();
            return JudgePage(row.Request, await row.Browser.SendAsync(message));
        });
        Assert.Equal("Carol Danvers", (await carol.GetAsync("/")).UserName);
    }

    private async Task AssertRefusedAndNothingWrittenAsync<TRow>(
        IEnumerable<TRow> rows, Func<TRow, HostileRequest> requestOf, Func<TRow, Task<string?>> send)
    {
        await using var redis = await shop.ConnectToRedisAsync();
        var before = await RedisKeyspace.CaptureAsync(redis);
        var table = rows.ToList();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(table, new ParallelOptions { MaxDegreeOfParallelism = Parallelism }, async (row, _) =>
        {
            try
            {
                if (await send(row) is { } failure)
                {
                    failures.Add(failure);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                failures.Add($"{requestOf(row)}: no answer ({ex.GetType().Name}: {ex.Message})");
            }
        });

        var written = (await RedisKeyspace.CaptureAsync(redis)).DifferencesFrom(before);
        Assert.True(failures.IsEmpty, $"{failures.Count} of {table.Count} hostile requests were mishandled:\n" + string.Join("\n", failures.Order()));
        Assert.True(written.Count == 0, $"{table.Count} refused requests changed Redis:\n" + string.Join("\n", written));
    }

    private static IEnumerable<HostileRequest> CartApiRequests()
    {
        var validAdd = Json("""{"productId":1,"quantity":1}""");
        var validQuantity = Json("""{"quantity":1}""");
        var validMerge = Json($$"""{"fromCartId":"a-{{SomeHex}}"}""");
        foreach (var bad in BadCartIds)
        {
            yield return new($"bad cart id {bad}", HttpMethod.Get, $"/api/carts/{bad}");
            yield return new($"bad cart id {bad}", HttpMethod.Delete, $"/api/carts/{bad}");
            yield return new($"bad cart id {bad}", HttpMethod.Post, $"/api/carts/{bad}/items", validAdd);
            yield return new($"bad cart id {bad}", HttpMethod.Put, $"/api/carts/{bad}/items/1", validQuantity);
            yield return new($"bad cart id {bad}", HttpMethod.Delete, $"/api/carts/{bad}/items/1");
            yield return new($"bad cart id {bad}", HttpMethod.Post, $"/api/carts/{bad}/merge", validMerge);
            yield return new($"bad cart id {bad}", HttpMethod.Post, $"/api/carts/{bad}/checkout");
        }

        var cart = $"/api/carts/{ValidAnonymousCart}";
        foreach (var (name, body) in MalformedJsonBodies())
        {
            yield return new($"add: {name}", HttpMethod.Post, $"{cart}/items", body);
            yield return new($"set quantity: {name}", HttpMethod.Put, $"{cart}/items/1", body);
            yield return new($"merge: {name}", HttpMethod.Post, $"{cart}/merge", body);
        }
        string[] badAdds =
        [
            """{"productId":"abc","quantity":1}""", """{"productId":1.5,"quantity":1}""", """{"productId":99999999999,"quantity":1}""",
            """{"productId":-1,"quantity":1}""", """{"productId":0,"quantity":1}""", """{"productId":1,"quantity":0}""",
            """{"productId":1,"quantity":-5}""", """{"productId":1,"quantity":100}""", """{"productId":1,"quantity":2147483648}""",
            """{"productId":1,"quantity":1e400}""", """{"productId":1,"quantity":"NaN"}""", """{"productId":1,"quantity":null}""",
            """{"productId":1,"quantity":true}""", """{"productId":1}""", """{"quantity":1}""", """{}""",
            """{"productId":"\u0000","quantity":1}""", """{"productId":"１","quantity":1}""",
            $$"""{"productId":"{{OneMegabyte}}","quantity":1}""",
        ];
        foreach (var body in badAdds)
        {
            yield return new($"add {body}", HttpMethod.Post, $"{cart}/items", Json(body));
        }
        yield return new("add an unknown product", HttpMethod.Post, $"{cart}/items", Json($$"""{"productId":{{UnknownId}},"quantity":1}"""));

        foreach (var bad in BadNumericIds)
        {
            yield return new($"set quantity of product {bad}", HttpMethod.Put, $"{cart}/items/{bad}", validQuantity);
            yield return new($"remove product {bad}", HttpMethod.Delete, $"{cart}/items/{bad}");
        }
        foreach (var body in new[] { """{"quantity":-1}""", """{"quantity":100}""", """{"quantity":"x"}""", """{"quantity":1e400}""", """{}""" })
        {
            yield return new($"set quantity {body}", HttpMethod.Put, $"{cart}/items/1", Json(body));
        }
        yield return new("set the quantity of an unknown product", HttpMethod.Put, $"{cart}/items/{UnknownId}", validQuantity);

        string[] badMerges =
        [
            """{"fromCartId":123}""", $$"""{"fromCartId":"{{Traversal}}"}""", """{"fromCartId":"../../etc/passwd"}""",
            $$"""{"fromCartId":"{{ValidAnonymousCart}}"}""", """{"fromCartId":"u-alice\n"}""", """{"fromCartId":null}""",
            """{"fromCartId":"a-*"}""", """{"fromCartId":"shop:cart:{u-alice}"}""",
        ];
        foreach (var body in badMerges)
        {
            yield return new($"merge {body}", HttpMethod.Post, $"{cart}/merge", Json(body));
        }

        yield return new("check out an empty cart", HttpMethod.Post, $"{cart}/checkout");
        yield return new("check out an empty cart with a key", HttpMethod.Post, $"{cart}/checkout",
            Headers: new Dictionary<string, string> { ["Idempotency-Key"] = "k-" + SomeHex });
        yield return new("a 300-character idempotency key", HttpMethod.Post, $"{cart}/checkout",
            Headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 300) });
        yield return new("a 40 KB header", HttpMethod.Post, $"{cart}/checkout",
            Headers: new Dictionary<string, string> { ["Idempotency-Key"] = new string('k', 40 * 1024) });
        yield return new("a 10 KB query string", HttpMethod.Get, $"{cart}?pad={TenKilobytes}");
        yield return new("a 10 KB query string on a bad id", HttpMethod.Get, $"/api/carts/{Traversal}?pad={TenKilobytes}");
        yield return new("a method the route does not have", HttpMethod.Patch, cart, validAdd);
        yield return new("a route that does not exist", HttpMethod.Get, "/api/carts");

        string[] badOrderIds =
        [
            Traversal, "abc", SomeHex.ToUpperInvariant(), SomeHex + "0", SomeHex + "%0A", SomeHex[..31] + "%00", "%F0%9F%8E%89",
            new string('0', 4_000),
        ];
        // An order route names no cart, so these carry the token of a cart the caller may read.
        var ownToken = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestSecrets.CartToken(ValidAnonymousCart) };
        foreach (var bad in badOrderIds)
        {
            yield return new($"order id {bad}", HttpMethod.Get, $"/api/orders/{bad}", Headers: ownToken);
        }
        yield return new("an unknown order", HttpMethod.Get, $"/api/orders/{SomeHex}", Headers: ownToken);

        // Credentials that are not the storefront's token for this cart.
        var tokens = new (string Name, string Header)[]
        {
            ("alice's token", "Bearer " + TestSecrets.CartToken("u-alice")),
            ("a forged token", "Bearer " + TestSecrets.ForgedCartToken(ValidAnonymousCart)),
            ("a Stock token", "Bearer " + TestSecrets.StockToken()),
            ("a 10 KB token", "Bearer " + TenKilobytes),
            ("a token without a signature", "Bearer " + string.Join('.', TestSecrets.CartToken(ValidAnonymousCart).Split('.')[..2]) + "."),
            ("basic credentials", "Basic YWxpY2U6YWxpY2U="),
        };
        foreach (var (name, header) in tokens)
        {
            var headers = new Dictionary<string, string> { ["Authorization"] = header };
            yield return new($"read with {name}", HttpMethod.Get, cart, Headers: headers);
            yield return new($"add with {name}", HttpMethod.Post, $"{cart}/items", validAdd, Headers: headers);
            yield return new($"clear with {name}", HttpMethod.Delete, cart, Headers: headers);
            yield return new($"check out with {name}", HttpMethod.Post, $"{cart}/checkout", Headers: headers);
        }
    }

    private static IEnumerable<HostileRequest> CatalogApiRequests()
    {
        string[] badQueries =
        [
            "page=-1", "page=0", "page=abc", "page=99999999999", "page=1e3", "page=%00", "pageSize=0", "pageSize=101",
            "pageSize=-1", "sort=drop", "sort=%27%3B%20DROP%20TABLE%20items%3B--", $"category={Traversal}", "category=%00",
            "category=KITCHEN", $"category={new string('a', 51)}", $"q={new string('q', 201)}", $"q={TenKilobytes}",
        ];
        foreach (var query in badQueries)
        {
            yield return new($"list with {query}", HttpMethod.Get, $"/api/catalog/items?{query}");
        }
        string[] oddButHarmless = ["q=%E6%97%A5%F0%9F%8E%89", "q=%00%01%1F", "q=%25%5F", "sort=", "page=", "category=kitchen%0A"];
        foreach (var query in oddButHarmless)
        {
            yield return new($"list with {query}", HttpMethod.Get, $"/api/catalog/items?{query}", Expect: Expect.Tolerated);
        }

        var admin = new Dictionary<string, string> { ["X-Api-Key"] = TestSecrets.AdminKey };
        var stock = new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestSecrets.StockToken() };
        var wrongKey = new Dictionary<string, string> { ["X-Api-Key"] = "not-the-key" };
        var hugeKey = new Dictionary<string, string> { ["X-Api-Key"] = TenKilobytes };
        var validUpdate = Json("""{"stock":5}""");
        var validChange = Json("""{"quantity":1,"reservationId":"0123456789abcdef0123456789abcdef"}""");
        const string reservation = "/api/catalog/reservations/0123456789abcdef0123456789abcdef";
        foreach (var bad in BadNumericIds)
        {
            yield return new($"item {bad}", HttpMethod.Get, $"/api/catalog/items/{bad}");
            yield return new($"image of {bad}", HttpMethod.Get, $"/api/catalog/items/{bad}/image");
            yield return new($"update item {bad}", HttpMethod.Put, $"/api/catalog/items/{bad}", validUpdate, Headers: admin);
            yield return new($"reserve item {bad}", HttpMethod.Post, $"/api/catalog/items/{bad}/stock/reserve", validChange, Headers: stock);
        }
        yield return new("an unknown item", HttpMethod.Get, $"/api/catalog/items/{UnknownId}");
        yield return new("an unknown item's image", HttpMethod.Get, $"/api/catalog/items/{UnknownId}/image");
        yield return new("update an unknown item", HttpMethod.Put, $"/api/catalog/items/{UnknownId}", validUpdate, Headers: admin);
        yield return new("reserve an unknown item", HttpMethod.Post, $"/api/catalog/items/{UnknownId}/stock/reserve", validChange, Headers: stock);
        foreach (var bad in new[] { "1", "0123456789ABCDEF0123456789ABCDEF", "0123456789abcdef0123456789abcdef0", Traversal })
        {
            yield return new($"release reservation {bad}", HttpMethod.Post, $"/api/catalog/reservations/{bad}/release", Headers: stock);
            yield return new($"commit reservation {bad}", HttpMethod.Post, $"/api/catalog/reservations/{bad}/commit", Headers: stock);
        }
        yield return new("commit an unknown reservation", HttpMethod.Post, $"/api/catalog/reservations/{Guid.NewGuid():N}/commit", Headers: stock);

        (HttpMethod Method, string Path, Func<HttpContent?>? Body)[] writes =
        [
            (HttpMethod.Put, "/api/catalog/items/1", validUpdate),
            (HttpMethod.Post, "/api/catalog/items/1/stock/reserve", validChange),
            (HttpMethod.Post, reservation + "/release", null),
            (HttpMethod.Post, reservation + "/commit", null),
            (HttpMethod.Post, "/api/catalog/admin/cache/flush", null),
        ];
        foreach (var (method, path, body) in writes)
        {
            yield return new("no credential", method, path, body);
            yield return new("a wrong admin key", method, path, body, Headers: wrongKey);
            yield return new("a 10 KB admin key", method, path, body, Headers: hugeKey);
        }
        // The admin key does not open the stock routes, nor a Stock token the admin routes.
        yield return new("reserve with the admin key", HttpMethod.Post, "/api/catalog/items/1/stock/reserve", validChange, Headers: admin);
        yield return new("update with a Stock token", HttpMethod.Put, "/api/catalog/items/1", validUpdate, Headers: stock);
        yield return new("reserve with a Cart token", HttpMethod.Post, "/api/catalog/items/1/stock/reserve", validChange,
            Headers: new Dictionary<string, string> { ["Authorization"] = "Bearer " + TestSecrets.CartToken(ValidAnonymousCart) });

        foreach (var (name, body) in MalformedJsonBodies())
        {
            yield return new($"update: {name}", HttpMethod.Put, "/api/catalog/items/1", body, Headers: admin);
            yield return new($"reserve: {name}", HttpMethod.Post, "/api/catalog/items/1/stock/reserve", body, Headers: stock);
        }
        yield return new("update with JSON sent as text/plain", HttpMethod.Put, "/api/catalog/items/1", Text("""{"stock":5}"""), Headers: admin);
        string[] badUpdates =
        [
            """{}""", """{"price":-1}""", """{"price":1e30}""", """{"price":"abc"}""", """{"price":1.234}""", """{"price":1e400}""",
            """{"stock":-1}""", """{"stock":2147483648}""", """{"stock":1000001}""", """{"name":""}""", """{"name":"   "}""",
            """{"name":123}""", $$"""{"name":"{{OneMegabyte}}"}""", $$"""{"description":"{{OneMegabyte}}"}""",
        ];
        foreach (var body in badUpdates)
        {
            yield return new($"update {Shorten(body)}", HttpMethod.Put, "/api/catalog/items/1", Json(body), Headers: admin);
        }
        string[] badChanges =
        [
            """{"quantity":0}""", """{"quantity":-1}""", """{"quantity":10001}""", """{"quantity":"abc"}""", """{"quantity":1e10}""",
            """{"quantity":1.5}""", """{"quantity":null}""", """{}""", """{"quantity":true}""",
            """{"quantity":1}""", """{"quantity":1,"reservationId":"x"}""", """{"quantity":1,"reservationId":12}""",
            """{"quantity":1,"reservationId":"0123456789ABCDEF0123456789ABCDEF"}""",
        ];
        foreach (var body in badChanges)
        {
            yield return new($"reserve {body}", HttpMethod.Post, "/api/catalog/items/1/stock/reserve", Json(body), Headers: stock);
        }

        yield return new("a 10 KB query string", HttpMethod.Get, $"/api/catalog/categories?pad={TenKilobytes}");
        yield return new("a method the route does not have", HttpMethod.Delete, "/api/catalog/items/1", Headers: admin);
        yield return new("a route that does not exist", HttpMethod.Get, "/api/catalog/nothing-here");
    }

    /// <summary>A visitor with no cookies: bad ids and queries, and POSTs without any antiforgery token.</summary>
    private static IEnumerable<HostileRequest> StrangerRequests()
    {
        // " 1" and "1\n" are not here: the route's int constraint trims whitespace, so they show product 1.
        foreach (var bad in new[] { "abc", "-1", "0", "99999999999", "1.5", "1e3", "%EF%BC%91", Traversal, "1%00", UnknownId })
        {
            yield return new($"product page {bad}", HttpMethod.Get, $"/products/{bad}");
            yield return new($"product image {bad}", HttpMethod.Get, $"/images/products/{bad}");
        }
        yield return new("path traversal", HttpMethod.Get, $"/{Traversal}");
        yield return new("someone else's order, anonymously", HttpMethod.Get, $"/orders/{Traversal}", Expect: Expect.Tolerated);
        string[] oddQueries =
        [
            "page=-5", "page=abc", "page=99999999999", "sort=%00", $"category={Traversal}", "category=%00",
            $"q={new string('q', 201)}", "q=%00%01%1F", "q=%E6%97%A5%F0%9F%8E%89", "category=kitchen%0A",
        ];
        foreach (var query in oddQueries)
        {
            yield return new($"browse with {query}", HttpMethod.Get, $"/?{query}", Expect: Expect.Tolerated);
        }
        yield return new("a 10 KB query string", HttpMethod.Get, $"/?q={TenKilobytes}");
        yield return new("a hostile return URL", HttpMethod.Get, $"/account/login?returnUrl=%2F%2Fevil.example%2F{Traversal}", Expect: Expect.Tolerated);

        // /cart/add carries no antiforgery token (its forms are on shared cached pages): another site's post is refused
        // by what the browser says about it instead.
        yield return new("a cross-site add (Sec-Fetch-Site)", HttpMethod.Post, "/cart/add", Form(("productId", "1"), ("quantity", "1")),
            Headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" });
        yield return new("a same-site add from another origin (Sec-Fetch-Site)", HttpMethod.Post, "/cart/add", Form(("productId", "1"), ("quantity", "1")),
            Headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "same-site" });
        yield return new("an add from a foreign Origin", HttpMethod.Post, "/cart/add", Form(("productId", "1"), ("quantity", "1")),
            Headers: new Dictionary<string, string> { ["Origin"] = "http://evil.example" });
        yield return new("an add from an opaque Origin", HttpMethod.Post, "/cart/add", Form(("productId", "1"), ("quantity", "1")),
            Headers: new Dictionary<string, string> { ["Origin"] = "null" });
        yield return new("a cross-site sign-out", HttpMethod.Post, "/account/logout", Form(),
            Headers: new Dictionary<string, string> { ["Sec-Fetch-Site"] = "cross-site" });

        (string Action, (string, string)[] Fields)[] forms =
        [
            ("/cart?handler=update", [("productId", "1"), ("quantity", "2")]),
            ("/cart?handler=remove", [("productId", "1")]),
            ("/account/login", [("username", "alice"), ("password", "alice-shops-2026")]),
            ("/account/logout", []),
        ];
        foreach (var (action, fields) in forms)
        {
            yield return new("no antiforgery token", HttpMethod.Post, action, Form(fields));
        }
        yield return new("add with a 1 MB field", HttpMethod.Post, "/cart/add", Form(("productId", OneMegabyte)));
        yield return new("add with a JSON body", HttpMethod.Post, "/cart/add", Json("""{"productId":1,"quantity":1}"""));
        yield return new("add with a 1 MB text body", HttpMethod.Post, "/cart/add", Text(OneMegabyte));
        yield return new("add with 2,000 form fields", HttpMethod.Post, "/cart/add",
            Form([.. Enumerable.Range(0, 2_000).Select(i => ($"f{i}", "1"))]));
        yield return new("no token, anonymous checkout", HttpMethod.Post, "/checkout", Form(("idempotencyKey", SomeHex)), Expect: Expect.Tolerated);
    }

    /// <summary>An anonymous shopper with a valid antiforgery token, sending bad values.</summary>
    private static IEnumerable<HostileRequest> AnonymousFormRequests(string token)
    {
        Func<HttpContent?> With(params (string, string)[] fields) =>
            Form([.. fields, ("__RequestVerificationToken", token)]);

        foreach (var bad in new[] { "abc", "-1", "0", "99999999999", "%00", "1.5", "" })
        {
            yield return new($"add product '{bad}'", HttpMethod.Post, "/cart/add", With(("productId", bad), ("quantity", "1")));
            yield return new($"remove product '{bad}'", HttpMethod.Post, "/cart?handler=remove", With(("productId", bad)));
        }
        foreach (var bad in new[] { "0", "-1", "100", "abc", "1e3", "99999999999", "" })
        {
            yield return new($"add quantity '{bad}'", HttpMethod.Post, "/cart/add", With(("productId", "1"), ("quantity", bad)));
        }
        foreach (var bad in new[] { "-1", "100", "abc", "" })
        {
            yield return new($"update to quantity '{bad}'", HttpMethod.Post, "/cart?handler=update", With(("productId", "1"), ("quantity", bad)));
        }
        yield return new("a handler that does not exist", HttpMethod.Post, "/cart?handler=nope", With(), Expect: Expect.Tolerated);
        yield return new("sign in with a 1 MB user name", HttpMethod.Post, "/account/login",
            With(("username", OneMegabyte), ("password", "x")), Expect: Expect.Tolerated);
        yield return new("sign in with control characters", HttpMethod.Post, "/account/login",
            With(("username", "alice\0\u0001\r\n"), ("password", "alice-shops-2026\0"), ("returnUrl", "//evil.example/")), Expect: Expect.Tolerated);
    }

    /// <summary>Carol, signed in with an empty cart and a valid token, sending bad values.</summary>
    private static IEnumerable<HostileRequest> SignedInRequests(string token)
    {
        Func<HttpContent?> With(params (string, string)[] fields) =>
            Form([.. fields, ("__RequestVerificationToken", token)]);

        yield return new("update to quantity 'abc'", HttpMethod.Post, "/cart?handler=update", With(("productId", "1"), ("quantity", "abc")));
        yield return new("remove product 'abc'", HttpMethod.Post, "/cart?handler=remove", With(("productId", "abc")));
        yield return new("add an unknown product", HttpMethod.Post, "/cart/add", With(("productId", UnknownId), ("quantity", "1")));
        yield return new("check out without a token", HttpMethod.Post, "/checkout", Form(("idempotencyKey", SomeHex)));
        yield return new("check out with a key ending in a newline", HttpMethod.Post, "/checkout",
            With(("idempotencyKey", SomeHex + "\n")), Expect: Expect.Tolerated);
        yield return new("check out with a 1 MB key", HttpMethod.Post, "/checkout",
            With(("idempotencyKey", OneMegabyte)), Expect: Expect.Tolerated);
        foreach (var bad in new[] { Traversal, SomeHex, SomeHex + "%0A", "ZZZ", new string('0', 4_000) })
        {
            yield return new($"order {bad}", HttpMethod.Get, $"/orders/{bad}");
        }
        yield return new("revoke a traversal ticket id", HttpMethod.Post, "/account/sessions?handler=revoke",
            With(("ticketId", "../../etc/passwd")), Expect: Expect.Tolerated);
        yield return new("revoke a 1 MB ticket id", HttpMethod.Post, "/account/sessions?handler=revoke", With(("ticketId", OneMegabyte)));
        yield return new("revoke no ticket id", HttpMethod.Post, "/account/sessions?handler=revoke", With());
        yield return new("revoke without a token", HttpMethod.Post, "/account/sessions?handler=revoke", Form(("ticketId", SomeHex)));
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
