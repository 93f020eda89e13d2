using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Catalog.Api.Api;

namespace Shop.Catalog.Api.Tests;

public sealed class StockReservationTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task AReservationTakesStockAndAReleaseGivesItBack()
    {
        await SetStockAsync(400, 10);

        using var reserved = await Client.ReserveAsync(400, 3);
        var afterReserve = await reserved.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json);
        using var released = await Client.ReleaseAsync(400, 2);
        var afterRelease = await released.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json);

        Assert.Equal(HttpStatusCode.OK, reserved.StatusCode);
        Assert.Equal(7, afterReserve!.Stock);
        Assert.Equal(9, afterRelease!.Stock);
        Assert.Equal(9, (await GetItemAsync(400)).Stock);
    }

    [Fact]
    public async Task ReservingMoreThanTheStockIsA409AndChangesNothing()
    {
        await SetStockAsync(401, 2);

        using var response = await Client.ReserveAsync(401, 3);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, problem.GetProperty("available").GetInt32());
        Assert.Equal(2, (await GetItemAsync(401)).Stock);
    }

    [Fact]
    public async Task ReservingAnUnknownProductIs404()
    {
        using var response = await Client.ReserveAsync(987_654, 1);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task TwentyConcurrentReservationsOfOneAgainstStockTenFromTwoReplicasExactlyTenSucceed()
    {
        await SetStockAsync(402, 10);
        await using var replicaB = fixture.NewReplica("replica-b");
        using var clientB = replicaB.CreateClient();

        var attempts = Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? Client : clientB).ReserveAsync(402, 1));
        var responses = await Task.WhenAll(attempts);

        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var stocksSeen = await Task.WhenAll(responses.Where(r => r.IsSuccessStatusCode)
            .Select(async r => (await r.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json))!.Stock));
        Assert.Equal(Enumerable.Range(0, 10), stocksSeen.Order());
        Assert.Equal(0, (await GetItemAsync(402)).Stock);
        Assert.Equal(0, (await clientB.GetFromJsonAsync<CatalogItem>("/api/catalog/items/402", CatalogHttp.Json))!.Stock);
    }

    private async Task SetStockAsync(int id, int stock)
    {
        using var response = await Client.PutItemAsync(id, new { stock });
        response.EnsureSuccessStatusCode();
    }

    private async Task<CatalogItem> GetItemAsync(int id) =>
        (await Client.GetFromJsonAsync<CatalogItem>($"/api/catalog/items/{id}", CatalogHttp.Json))!;
}
