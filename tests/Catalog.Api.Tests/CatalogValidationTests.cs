using System.Net.Http.Json;
using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shop.Catalog.Api.Data;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

public sealed class CatalogValidationTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("/api/catalog/items?page=0", "page")]
    [InlineData("/api/catalog/items?page=-1", "page")]
    [InlineData("/api/catalog/items?page=abc", "page")]
    [InlineData("/api/catalog/items?pageSize=1000", "pageSize")]
    [InlineData("/api/catalog/items?pageSize=0", "pageSize")]
    [InlineData("/api/catalog/items?sort=cheapest", "sort")]
    [InlineData("/api/catalog/items?category=Not%20A%20Slug", "category")]
    [InlineData("/api/catalog/items/abc", "id")]
    [InlineData("/api/catalog/items/1.5", "id")]
    [InlineData("/api/catalog/items/abc/image", "id")]
    public async Task BadQueryInputIsA400NamingTheField(string url, string field)
    {
        using var response = await Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ValidationFieldsAsync());
    }

    [Fact]
    public async Task ASearchLongerThan200CharactersIsRejectedAndExactly200IsAccepted()
    {
        using var tooLong = await Client.GetAsync($"/api/catalog/items?q={new string('a', 201)}");
        using var longest = await Client.GetAsync($"/api/catalog/items?q={new string('a', 200)}");

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(["q"], await tooLong.ValidationFieldsAsync());
        Assert.Equal(HttpStatusCode.OK, longest.StatusCode);
    }

    [Fact]
    public async Task EveryBadFieldIsNamedAtOnce()
    {
        using var response = await Client.GetAsync("/api/catalog/items?page=0&pageSize=1000&sort=x");

        Assert.Equal(["page", "pageSize", "sort"], (await response.ValidationFieldsAsync()).Order());
    }

    [Theory]
    // A valid field travels with the bad one: it must not be written either.
    [InlineData("""{ "description": "Hacked", "price": -1 }""", "price")]
    [InlineData("""{ "description": "Hacked", "price": 1.999 }""", "price")]
    [InlineData("""{ "description": "Hacked", "stock": -5 }""", "stock")]
    [InlineData("""{ "description": "Hacked", "name": "   " }""", "name")]
    [InlineData("""{ "description": "Hacked", "price": "cheap" }""", "price")]
    [InlineData("""{ "description": "Hacked", "stock": 99999999999 }""", "stock")]
    [InlineData("""{ "description": "Hacked", "price": 10, """, "body")]
    [InlineData("""not json""", "body")]
    [InlineData("""{ }""", "body")]
    [InlineData("""null""", "body")]
    public async Task ABadPutBodyIsA400NamingTheFieldAndWritesNothing(string json, string field)
    {
        var seeded = CatalogSeed.Generate().Products[200];
        var before = await StoredAsync(seeded.Id);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/items/{seeded.Id}")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Api-Key", CatalogApiFactory.AdminKey);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.ValidationFieldsAsync());
        // Read from the database itself: a cached GET would hide exactly the partial write this test is about.
        var after = await StoredAsync(seeded.Id);
        Assert.Equal(before, after);
        Assert.Equal(seeded.Description, after!.Description);
    }

    private Task<Api.CatalogItem?> StoredAsync(int id) =>
        fixture.Replica.Services.GetRequiredService<CatalogRepository>().FindAsync(id, CancellationToken.None);

    [Fact]
    public async Task ANonJsonContentTypeIs415()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/items/3")
        {
            Content = new StringContent("price=1", Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        request.Headers.Add("X-Api-Key", CatalogApiFactory.AdminKey);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private const string ValidReservation = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData($$"""{ "quantity": 0, "reservationId": "{{ValidReservation}}" }""", "quantity")]
    [InlineData($$"""{ "quantity": -3, "reservationId": "{{ValidReservation}}" }""", "quantity")]
    [InlineData($$"""{ "reservationId": "{{ValidReservation}}" }""", "quantity")]
    [InlineData($$"""{ "quantity": "two", "reservationId": "{{ValidReservation}}" }""", "quantity")]
    [InlineData("""{ "quantity": """, "quantity")]
    [InlineData("""{ "quantity" 2 }""", "body")]
    [InlineData("""{ "quantity": 1 }""", "reservationId")]
    [InlineData("""{ "quantity": 1, "reservationId": "" }""", "reservationId")]
    [InlineData("""{ "quantity": 1, "reservationId": "0123456789ABCDEF0123456789ABCDEF" }""", "reservationId")]
    [InlineData("""{ "quantity": 1, "reservationId": "0123456789abcdef0123456789abcde" }""", "reservationId")]
    [InlineData("""{ "quantity": 1, "reservationId": "0123456789abcdef0123456789abcdef\n" }""", "reservationId")]
    [InlineData("""{ "quantity": 1, "reservationId": "../../0123456789abcdef0123456789ab" }""", "reservationId")]
    public async Task ABadReserveIsA400NamingTheFieldAndChangesNoStock(string json, string field)
    {
        var seeded = CatalogSeed.Generate().Products[300];
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/catalog/items/{seeded.Id}/stock/reserve")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", TestSecrets.StockToken());

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([field], await response.ValidationFieldsAsync());
        Assert.Equal(seeded.Stock, (await StoredAsync(seeded.Id))!.Stock);
    }

    [Theory]
    [InlineData("release", "not-a-reservation")]
    [InlineData("release", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("release", "0123456789abcdef0123456789abcdef0")]
    [InlineData("release", "%20123456789abcdef0123456789abcdef")]
    [InlineData("commit", "0123456789abcdef0123456789abcdeg")]
    [InlineData("commit", "0123456789abcdef0123456789abcdef%0A")]
    public async Task ABadReservationIdOnAReleaseOrCommitIsA400ProblemNamingIt(string action, string reservationId)
    {
        using var response = await Client.SendStockAsync($"/api/catalog/reservations/{reservationId}/{action}", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["reservationId"], await response.ValidationFieldsAsync());
    }

    [Fact]
    public async Task ANonNumericIdOnAWriteIsA400NamingTheId()
    {
        using var response = await Client.PutItemAsync(0, new { price = 1m });
        using var reserve = await Client.SendStockAsync("/api/catalog/items/x1/stock/reserve", new { quantity = 1, reservationId = CatalogHttp.NewReservationId() });

        Assert.Equal(["id"], await response.ValidationFieldsAsync());
        Assert.Equal(["id"], await reserve.ValidationFieldsAsync());
    }
}
