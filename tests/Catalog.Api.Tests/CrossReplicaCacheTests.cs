using System.Net.Http.Json;
using Shop.Catalog.Api.Api;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>
/// Two replicas: two service providers (two multiplexers), one Redis, one SQLite file, called by two
/// different host names, as the proxy and the frontend might.
/// </summary>
public sealed class CrossReplicaCacheTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    [Fact]
    public async Task AListCachedThroughReplicaAIsAHitWithTheSameBodyOnReplicaBUnderAnotherHostName()
    {
        await using var replicaB = fixture.NewReplica("replica-b");
        using var viaA = fixture.Replica.CreateClientFor("catalog-api");
        using var viaB = replicaB.CreateClientFor("10.0.0.7:5081");
        const string url = "/api/catalog/items?category=electronics&sort=-price&page=3&pageSize=7";

        var (first, firstBody) = await viaA.GetWithBodyAsync(url);
        var (second, secondBody) = await viaB.GetWithBodyAsync(url);

        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(firstBody, secondBody);
        Assert.Equal(fixture.Replica.InstanceHeader, first.Instance());
        // The cached entry carries A's headers; the hit must still say who answered.
        Assert.Equal(replicaB.InstanceHeader, second.Instance());
    }

    [Fact]
    public async Task AfterAPriceChangeThroughOneReplicaTheOtherServesTheNewPriceAtOnce()
    {
        await using var replicaB = fixture.NewReplica("replica-b");
        using var viaA = fixture.Replica.CreateClient();
        using var viaB = replicaB.CreateClient();
        var before = await viaB.GetFromJsonAsync<CatalogItem>("/api/catalog/items/640", CatalogHttp.Json);
        var list = $"/api/catalog/items?category={before!.Category}&sort=price&pageSize=100";
        await viaB.GetAsync(list);
        Assert.NotNull((await viaA.GetAsync("/api/catalog/items/640")).Headers.Age);
        Assert.NotNull((await viaA.GetAsync(list)).Headers.Age);

        (await viaA.PutItemAsync(640, new { price = before.Price + 2.5m })).EnsureSuccessStatusCode();

        var item = await viaB.GetFromJsonAsync<CatalogItem>("/api/catalog/items/640", CatalogHttp.Json);
        var page = await viaB.GetPageAsync(list);
        Assert.Equal(before.Price + 2.5m, item!.Price);
        Assert.Equal(before.Price + 2.5m, page.Items.Single(i => i.Id == 640).Price);
    }
}
