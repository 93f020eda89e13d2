using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Catalog.Api.Api;

namespace Shop.Catalog.Api.Tests;

public sealed class StockReservationTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task AReservationTakesStockAndItsReleaseGivesBackEveryLine()
    {
        await SetStockAsync(400, 10);
        await SetStockAsync(403, 5);
        var reservationId = CatalogHttp.NewReservationId();

        using var reserved = await Client.ReserveAsync(400, 3, reservationId);
        var afterReserve = await reserved.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json);
        using var second = await Client.ReserveAsync(403, 2, reservationId);
        using var released = await Client.ReleaseAsync(reservationId);
        var reservation = await released.Content.ReadFromJsonAsync<StockReservation>(CatalogHttp.Json);

        Assert.Equal(HttpStatusCode.OK, reserved.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(7, afterReserve!.Stock);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("released", reservation!.State);
        Assert.Equal([new ReservedLine(400, 3), new ReservedLine(403, 2)], reservation.Lines);
        Assert.Equal(10, (await GetItemAsync(400)).Stock);
        Assert.Equal(5, (await GetItemAsync(403)).Stock);
    }

    [Fact]
    public async Task TheSameReserveRepeatedTakesTheStockOnceAndAnswersTheSame()
    {
        await SetStockAsync(404, 10);
        var reservationId = CatalogHttp.NewReservationId();

        using var first = await Client.ReserveAsync(404, 4, reservationId);
        using var repeated = await Client.ReserveAsync(404, 4, reservationId);
        using var again = await Client.ReserveAsync(404, 4, reservationId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(6, (await repeated.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json))!.Stock);
        Assert.Equal(6, (await GetItemAsync(404)).Stock);
    }

    [Fact]
    public async Task ConcurrentRepeatsOfOneReserveFromTwoReplicasTakeTheStockOnce()
    {
        await SetStockAsync(405, 10);
        await using var replicaB = fixture.NewReplica("replica-b");
        using var clientB = replicaB.CreateClient();
        var reservationId = CatalogHttp.NewReservationId();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10)
            .Select(i => (i % 2 == 0 ? Client : clientB).ReserveAsync(405, 3, reservationId)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(7, (await GetItemAsync(405)).Stock);
    }

    [Fact]
    public async Task ReleasingTwiceGivesTheStockBackOnce()
    {
        await SetStockAsync(406, 10);
        var reservationId = CatalogHttp.NewReservationId();
        (await Client.ReserveAsync(406, 4, reservationId)).EnsureSuccessStatusCode();

        using var first = await Client.ReleaseAsync(reservationId);
        using var second = await Client.ReleaseAsync(reservationId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("released", (await second.Content.ReadFromJsonAsync<StockReservation>(CatalogHttp.Json))!.State);
        Assert.Equal(10, (await GetItemAsync(406)).Stock);
    }

    [Fact]
    public async Task ReleasingAnUnknownReservationChangesNoStockAndFencesOutALateReserve()
    {
        await SetStockAsync(407, 10);
        var reservationId = CatalogHttp.NewReservationId();

        using var released = await Client.ReleaseAsync(reservationId);
        // The reserve the caller gave up on arrives after its release: it must not take stock nobody will return.
        using var late = await Client.ReserveAsync(407, 2, reservationId);

        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Empty((await released.Content.ReadFromJsonAsync<StockReservation>(CatalogHttp.Json))!.Lines);
        Assert.Equal(HttpStatusCode.Gone, late.StatusCode);
        Assert.Equal("application/problem+json", late.Content.Headers.ContentType?.MediaType);
        Assert.Equal(10, (await GetItemAsync(407)).Stock);
    }

    [Fact]
    public async Task ACommittedReservationIsNeverReleased()
    {
        await SetStockAsync(408, 10);
        var reservationId = CatalogHttp.NewReservationId();
        (await Client.ReserveAsync(408, 3, reservationId)).EnsureSuccessStatusCode();

        using var committed = await Client.CommitAsync(reservationId);
        using var committedAgain = await Client.CommitAsync(reservationId);
        using var release = await Client.ReleaseAsync(reservationId);

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        Assert.Equal("committed", (await committed.Content.ReadFromJsonAsync<StockReservation>(CatalogHttp.Json))!.State);
        Assert.Equal(HttpStatusCode.OK, committedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, release.StatusCode);
        Assert.Equal("application/problem+json", release.Content.Headers.ContentType?.MediaType);
        Assert.Equal(7, (await GetItemAsync(408)).Stock);
    }

    [Fact]
    public async Task AReleasedReservationCannotBeCommittedAndAnUnknownOneIs404()
    {
        await SetStockAsync(409, 10);
        var reservationId = CatalogHttp.NewReservationId();
        (await Client.ReserveAsync(409, 3, reservationId)).EnsureSuccessStatusCode();
        (await Client.ReleaseAsync(reservationId)).EnsureSuccessStatusCode();

        using var commit = await Client.CommitAsync(reservationId);
        using var unknown = await Client.CommitAsync(CatalogHttp.NewReservationId());

        Assert.Equal(HttpStatusCode.Conflict, commit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(10, (await GetItemAsync(409)).Stock);
    }

    [Fact]
    public async Task TheSameReservationAndProductWithAnotherQuantityIsRefusedAndChangesNothing()
    {
        await SetStockAsync(410, 10);
        var reservationId = CatalogHttp.NewReservationId();
        (await Client.ReserveAsync(410, 3, reservationId)).EnsureSuccessStatusCode();

        using var other = await Client.ReserveAsync(410, 5, reservationId);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal(7, (await GetItemAsync(410)).Stock);
    }

    [Fact]
    public async Task AReleaseEvictsTheCachedProductSoReadersSeeTheStockBack()
    {
        await SetStockAsync(411, 10);
        var reservationId = CatalogHttp.NewReservationId();
        (await Client.ReserveAsync(411, 4, reservationId)).EnsureSuccessStatusCode();
        Assert.Equal(6, (await GetItemAsync(411)).Stock); // now cached

        (await Client.ReleaseAsync(reservationId)).EnsureSuccessStatusCode();

        Assert.Equal(10, (await GetItemAsync(411)).Stock);
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
