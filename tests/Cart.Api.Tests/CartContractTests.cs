using System.Net;
using System.Text.Json;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>The cart routes of the contract, through HTTP, with the catalog reached over real HTTP.</summary>
public sealed class CartContractTests : IClassFixture<CartApiFixture>
{
    private readonly CartApiFixture _fixture;
    private readonly HttpClient _client;

    public CartContractTests(CartApiFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Client;
        fixture.Catalog.Reset();
    }

    private IDatabase Db => _fixture.Redis.Connection.GetDatabase();

    [Fact]
    public async Task AnUnknownCartIsAnEmptyCart()
    {
        var cartId = TestCarts.NewAnonymousId();
        var cart = await (await _client.GetAsync($"/api/carts/{cartId}")).ReadCartAsync();

        Assert.Equal(cartId, cart.CartId);
        Assert.Empty(cart.Lines);
        Assert.Equal(0, cart.ItemCount);
        Assert.Equal(0m, cart.Total);
        Assert.False(await Db.KeyExistsAsync("shop:cart:{" + cartId + "}"));
    }

    [Fact]
    public async Task TheCountIsTheSumOfTheQuantitiesAndAsksTheCatalogNothing()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 2 }""");
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 3 }""");
        var catalogCallsBefore = _fixture.Catalog.ItemReads;

        var response = await _client.GetAsync($"/api/carts/{cartId}/count");
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cartId, json.GetProperty("cartId").GetString());
        Assert.Equal(5, json.GetProperty("itemCount").GetInt32());
        Assert.Equal(catalogCallsBefore, _fixture.Catalog.ItemReads);
        Assert.Equal(HttpStatusCode.BadRequest, (await _client.GetAsync("/api/carts/not-a-cart/count")).StatusCode);
    }

    [Fact]
    public async Task LinesAreEnrichedWithTheCatalogsNamePriceAndImageAndTotalled()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 2 }""");
        var response = await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 3 }""");

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(cartId, json.GetProperty("cartId").GetString());
        Assert.Equal(5, json.GetProperty("itemCount").GetInt32());
        Assert.Equal(19.99m * 2 + 5.50m * 3, json.GetProperty("total").GetDecimal());
        var kettle = json.GetProperty("lines")[0];
        Assert.Equal(1, kettle.GetProperty("productId").GetInt32());
        Assert.Equal("Kettle", kettle.GetProperty("name").GetString());
        Assert.Equal(19.99m, kettle.GetProperty("unitPrice").GetDecimal());
        Assert.Equal(2, kettle.GetProperty("quantity").GetInt32());
        Assert.Equal(39.98m, kettle.GetProperty("lineTotal").GetDecimal());
        Assert.Equal("/api/catalog/items/1/image", kettle.GetProperty("imageUrl").GetString());
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 3 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task PricesAreTheCatalogsCurrentPricesNotTheOnesAtAddTime()
    {
        var cartId = TestCarts.NewUserId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 3, "quantity": 4 }""");
        _fixture.Catalog.Seed(3, "Mug", 3.00m, 100);

        var cart = await (await _client.GetAsync($"/api/carts/{cartId}")).ReadCartAsync();

        Assert.Equal(3.00m, cart.Lines.Single().UnitPrice);
        Assert.Equal(12.00m, cart.Total);
    }

    [Fact]
    public async Task PostAddsToTheExistingQuantityUpToNinetyNine()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 90 }""");
        var cart = await (await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 20 }""")).ReadCartAsync();

        Assert.Equal(99, cart.Lines.Single().Quantity);
    }

    [Fact]
    public async Task PutSetsTheQuantityAndZeroRemovesTheLine()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 5 }""");
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""");

        var set = await (await _client.PutAsync($"/api/carts/{cartId}/items/1", HttpAssertions.Json("""{ "quantity": 3 }"""))).ReadCartAsync();
        Assert.Equal(3, set.Lines.Single(l => l.ProductId == 1).Quantity);

        var removed = await (await _client.PutAsync($"/api/carts/{cartId}/items/2", HttpAssertions.Json("""{ "quantity": 0 }"""))).ReadCartAsync();
        Assert.Equal([1], removed.Lines.Select(l => l.ProductId));
        Assert.Equal(new Dictionary<int, int> { [1] = 3 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task DeleteOfAnItemRemovesOnlyThatLine()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 5 }""");
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""");

        var cart = await (await _client.DeleteAsync($"/api/carts/{cartId}/items/1")).ReadCartAsync();

        Assert.Equal([2], cart.Lines.Select(l => l.ProductId));
        Assert.Equal(new Dictionary<int, int> { [2] = 1 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task DeleteOfTheCartAnswers204AndLeavesNoKey()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 5 }""");

        var response = await _client.DeleteAsync($"/api/carts/{cartId}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.False(await Db.KeyExistsAsync("shop:cart:{" + cartId + "}"));
    }

    [Fact]
    public async Task MergeMovesTheAnonymousCartIntoTheUserCartAndDeletesIt()
    {
        var anonymous = TestCarts.NewAnonymousId();
        var user = TestCarts.NewUserId();
        await _client.PostJsonAsync($"/api/carts/{anonymous}/items", """{ "productId": 1, "quantity": 2 }""");
        await _client.PostJsonAsync($"/api/carts/{anonymous}/items", """{ "productId": 3, "quantity": 1 }""");
        await _client.PostJsonAsync($"/api/carts/{user}/items", """{ "productId": 1, "quantity": 1 }""");

        var cart = await (await _client.SendWithTokenAsync(HttpMethod.Post, $"/api/carts/{user}/merge",
            TestSecrets.CartToken(user, mergeFrom: anonymous), $$"""{ "fromCartId": "{{anonymous}}" }""")).ReadCartAsync();

        Assert.Equal(user, cart.CartId);
        Assert.Equal(new Dictionary<int, int> { [1] = 3, [3] = 1 }, cart.Lines.ToDictionary(l => l.ProductId, l => l.Quantity));
        Assert.False(await Db.KeyExistsAsync("shop:cart:{" + anonymous + "}"));
        var ttl = await Db.KeyTimeToLiveAsync("shop:cart:{" + user + "}");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task AnUnknownProductIs404AndNothingIsWritten()
    {
        var cartId = TestCarts.NewAnonymousId();
        await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 1 }""");

        var post = await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 999, "quantity": 1 }""");
        var put = await _client.PutAsync($"/api/carts/{cartId}/items/998", HttpAssertions.Json("""{ "quantity": 2 }"""));

        Assert.Equal(999, (await post.ReadProblemAsync(HttpStatusCode.NotFound)).GetProperty("productId").GetInt32());
        await put.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(new Dictionary<int, int> { [1] = 1 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task AddingANewProductToAFullCartIs409AndNothingIsWritten()
    {
        var cartId = TestCarts.NewAnonymousId();
        await Db.HashSetAsync("shop:cart:{" + cartId + "}", Enumerable.Range(100, 100).Select(i => new HashEntry(i, 1)).ToArray());

        var response = await _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 1, "quantity": 1 }""");

        await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.DoesNotContain(1, (await Db.StoredLinesAsync(cartId)).Keys);
    }

    [Fact]
    public async Task FiftyParallelAddsOverHttpAreAllCounted()
    {
        var cartId = TestCarts.NewAnonymousId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 50)
            .Select(_ => _client.PostJsonAsync($"/api/carts/{cartId}/items", """{ "productId": 2, "quantity": 1 }""")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(50, (await (await _client.GetAsync($"/api/carts/{cartId}")).ReadCartAsync()).Lines.Single().Quantity);
    }
}
