using System.Net;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>Every malformed request is a 400 ProblemDetails naming the field, and the cart is untouched after it.</summary>
public sealed class ValidationTests : IClassFixture<CartApiFixture>
{
    private const string Cart = "{cart}";

    private readonly CartApiFixture _fixture;

    public ValidationTests(CartApiFixture fixture)
    {
        _fixture = fixture;
        fixture.Catalog.Reset();
    }

    private IDatabase Db => _fixture.Redis.Connection.GetDatabase();

    public static TheoryData<string, string, string?, string> BadRequests => new()
    {
        // method, url ({cart} = a valid cart holding one line), body, field named in the answer
        { "POST", "/api/carts/a-NOTHEX/items", """{ "productId": 1, "quantity": 1 }""", "cartId" },
        { "POST", "/api/carts/u-Alice/items", """{ "productId": 1, "quantity": 1 }""", "cartId" },
        { "POST", "/api/carts/alice/items", """{ "productId": 1, "quantity": 1 }""", "cartId" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": 0 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": 100 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": -5 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": 1.5 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": 99999999999 }""", "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": "abc", "quantity": 1 }""", "productId" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 0, "quantity": 1 }""", "productId" },
        { "POST", $"/api/carts/{Cart}/items", """{ "quantity": 1 }""", "productId" },
        { "POST", $"/api/carts/{Cart}/items", """{ "productId": 1, "quantity": """, "quantity" },
        { "POST", $"/api/carts/{Cart}/items", """not json""", "body" },
        { "POST", $"/api/carts/{Cart}/items", "", "body" },
        { "POST", $"/api/carts/{Cart}/items", "null", "body" },
        { "PUT", $"/api/carts/{Cart}/items/abc", """{ "quantity": 1 }""", "productId" },
        { "PUT", $"/api/carts/{Cart}/items/-1", """{ "quantity": 1 }""", "productId" },
        { "PUT", $"/api/carts/{Cart}/items/1", """{ "quantity": -1 }""", "quantity" },
        { "PUT", $"/api/carts/{Cart}/items/1", """{ "quantity": 100 }""", "quantity" },
        { "PUT", $"/api/carts/{Cart}/items/1", """{ "quantity": "three" }""", "quantity" },
        { "PUT", "/api/carts/a-1/items/1", """{ "quantity": 1 }""", "cartId" },
        { "DELETE", $"/api/carts/{Cart}/items/x1", null, "productId" },
        { "DELETE", "/api/carts/u-/items/1", null, "cartId" },
        { "DELETE", "/api/carts/not-a-cart", null, "cartId" },
        { "GET", "/api/carts/u-alice:admin", null, "cartId" },
        { "POST", $"/api/carts/{Cart}/merge", """{ "fromCartId": "x" }""", "fromCartId" },
        { "POST", $"/api/carts/{Cart}/merge", """{ }""", "fromCartId" },
        { "POST", $"/api/carts/{Cart}/merge", """{ "fromCartId": "{cart}" }""", "fromCartId" },
        { "POST", $"/api/carts/{Cart}/merge", """{ "fromCartId": 5 }""", "fromCartId" },
        { "POST", "/api/carts/bad/checkout", null, "cartId" },
        { "GET", "/api/orders/not-an-order", null, "orderId" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task AMalformedRequestIs400NamingTheFieldAndLeavesTheCartUnchanged(string method, string url, string? body, string field)
    {
        var cartId = TestCarts.NewAnonymousId();
        var key = "shop:cart:{" + cartId + "}";
        await Db.HashSetAsync(key, 2, 4);
        await Db.KeyExpireAsync(key, TimeSpan.FromMinutes(5));

        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace(Cart, cartId));
        if (url.StartsWith("/api/orders/", StringComparison.Ordinal))
        {
            // An order route names no cart, so the storefront client adds no token: this caller holds a valid one.
            request.Headers.Authorization = new("Bearer", TestSecrets.CartToken(cartId));
        }
        if (body is not null)
        {
            request.Content = HttpAssertions.Json(body.Replace(Cart, cartId));
        }
        var response = await _fixture.Client.SendAsync(request);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors should name '{field}': {problem}");
        Assert.Equal(new Dictionary<int, int> { [2] = 4 }, await Db.StoredLinesAsync(cartId));
        Assert.True(await Db.KeyTimeToLiveAsync(key) <= TimeSpan.FromMinutes(5), "a rejected request must not touch the cart");
        Assert.Equal(0, _fixture.Catalog.TotalReserveCalls);
    }

    [Theory]
    [InlineData("key with a tab\t")]
    [InlineData("ключ")]
    [InlineData("x101")]
    public async Task ABadIdempotencyKeyIs400AndReservesNothing(string key)
    {
        if (key == "x101")
        {
            key = new string('k', 101);
        }
        var cartId = TestCarts.NewAnonymousId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", 1, 1);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        var response = await _fixture.Client.SendAsync(request);

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(0, _fixture.Catalog.TotalReserveCalls);
        Assert.Equal(new Dictionary<int, int> { [1] = 1 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task AHundredCharacterIdempotencyKeyIsAccepted()
    {
        var cartId = TestCarts.NewAnonymousId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", 1, 1);

        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout");
        request.Headers.Add("Idempotency-Key", new string('k', 100));
        var response = await _fixture.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
