using System.Net;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>
/// Cart.Api trusts the storefront's signed token, not the URL: signed-in cart ids (<c>u-alice</c>) are guessable, so
/// a caller without a token, with a forged one, or with one for another cart reads and writes nothing.
/// </summary>
public sealed class CartAuthorizationTests : IClassFixture<CartApiFixture>
{
    private readonly CartApiFixture _fixture;
    private readonly HttpClient _anonymous;
    private readonly HttpClient _storefront;

    public CartAuthorizationTests(CartApiFixture fixture)
    {
        _fixture = fixture;
        _storefront = fixture.Client;
        _anonymous = fixture.Factory.CreateClient();
        fixture.Catalog.Reset();
    }

    private IDatabase Db => _fixture.Redis.Connection.GetDatabase();

    public static TheoryData<string, string, string?> CartRoutes => new()
    {
        { "GET", "", null },
        { "DELETE", "", null },
        { "POST", "/items", """{ "productId": 1, "quantity": 1 }""" },
        { "PUT", "/items/2", """{ "quantity": 9 }""" },
        { "DELETE", "/items/2", null },
        { "POST", "/merge", """{ "fromCartId": "a-0123456789abcdef0123456789abcdef" }""" },
        { "POST", "/checkout", null },
    };

    [Theory]
    [MemberData(nameof(CartRoutes))]
    public async Task WithoutATokenEveryCartRouteIs401AndTheCartIsUnchanged(string method, string route, string? body)
    {
        var bob = await BobsCartAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/carts/{bob}{route}")
        {
            Content = body is null ? null : HttpAssertions.Json(body),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString("N") } },
        };
        var response = await _anonymous.SendAsync(request);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(new Dictionary<int, int> { [2] = 4 }, await Db.StoredLinesAsync(bob));
    }

    [Theory]
    [MemberData(nameof(CartRoutes))]
    public async Task AliceTokenOnBobsCartIs403OnEveryCartRouteAndBobsCartIsUnchanged(string method, string route, string? body)
    {
        var bob = await BobsCartAsync();
        var alice = TestCarts.NewUserId();

        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/carts/{bob}{route}")
        {
            Content = body is null ? null : HttpAssertions.Json(body),
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString("N") } },
        };
        request.Headers.Authorization = new("Bearer", TestSecrets.CartToken(alice));
        var response = await _storefront.SendAsync(request);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Not your cart", problem.GetProperty("title").GetString());
        Assert.Equal(new Dictionary<int, int> { [2] = 4 }, await Db.StoredLinesAsync(bob));
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIs401()
    {
        var bob = await BobsCartAsync();

        var response = await _storefront.SendWithTokenAsync(HttpMethod.Get, $"/api/carts/{bob}", TestSecrets.ForgedCartToken(bob));

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AStockTokenIsNotACartToken()
    {
        var bob = await BobsCartAsync();

        var response = await _storefront.SendWithTokenAsync(HttpMethod.Get, $"/api/carts/{bob}", TestSecrets.StockToken());

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AMergeFromACartTheTokenDoesNotNameIs403AndBothCartsAreUnchanged()
    {
        var bob = await BobsCartAsync();
        var alice = TestCarts.NewUserId();
        await _storefront.PostJsonAsync($"/api/carts/{alice}/items", """{ "productId": 1, "quantity": 1 }""");

        // Alice's own token, but it names no anonymous cart to merge: bob's cart cannot be pulled into hers.
        var response = await _storefront.SendWithTokenAsync(HttpMethod.Post, $"/api/carts/{alice}/merge",
            TestSecrets.CartToken(alice), $$"""{ "fromCartId": "{{bob}}" }""");

        await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(new Dictionary<int, int> { [2] = 4 }, await Db.StoredLinesAsync(bob));
        Assert.Equal(new Dictionary<int, int> { [1] = 1 }, await Db.StoredLinesAsync(alice));
    }

    [Fact]
    public async Task AnOrderIsFoundOnlyWithATokenForTheCartThatPlacedIt()
    {
        var bob = await BobsCartAsync();
        using var checkout = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{bob}/checkout")
        {
            Headers = { { "Idempotency-Key", Guid.NewGuid().ToString("N") } },
        };
        var placed = await _storefront.SendAsync(checkout);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = placed.Headers.Location!.OriginalString;

        var asBob = await _storefront.SendWithTokenAsync(HttpMethod.Get, order, TestSecrets.CartToken(bob));
        var asAlice = await _storefront.SendWithTokenAsync(HttpMethod.Get, order, TestSecrets.CartToken(TestCarts.NewUserId()));
        var asNobody = await _anonymous.GetAsync(order);

        Assert.Equal(HttpStatusCode.OK, asBob.StatusCode);
        // Not 403: a stranger learns nothing, not even that the order exists.
        await asAlice.ReadProblemAsync(HttpStatusCode.NotFound);
        await asNobody.ReadProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TheOpenApiDocumentSaysEveryOperationNeedsABearerToken()
    {
        var document = System.Text.Json.JsonDocument.Parse(await _anonymous.GetStringAsync("/openapi/v1.json")).RootElement;

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("bearer", out _));
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/carts/{cartId}/items", out _));
    }

    private async Task<string> BobsCartAsync()
    {
        var bob = TestCarts.NewUserId();
        var added = await _storefront.PostJsonAsync($"/api/carts/{bob}/items", """{ "productId": 2, "quantity": 4 }""");
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        return bob;
    }
}
