using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.EndToEnd.Tests;

[Collection(ShopAppCollection.Name)]
public sealed class CatalogCachingTests(ShopAppFixture shop)
{
    [Fact]
    public async Task AListCachedByOneReplicaIsAHitWithTheSameBodyOnAnother()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        // A query no other test asks for, so the first response is a miss.
        var url = $"/api/catalog/items?sort=-price&pageSize=7&page={Random.Shared.Next(20, 80)}";

        using var first = await client.GetAsync(url);
        first.EnsureSuccessStatusCode();
        Assert.Null(first.Headers.Age);
        var body = await first.Content.ReadAsStringAsync();

        var other = await CatalogResponses.FromAnotherReplicaAsync(client, url, first.Instance());

        Assert.NotNull(other.Age);
        Assert.Equal(body, other.Body);
    }

    [Fact]
    public async Task AfterAPriceChangeEveryReplicaServesTheNewPriceOnItsNextRequest()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var replicas = shop.ReplicaInstances(ShopResources.Catalog);
        var id = Random.Shared.Next(100, 900);
        var itemUrl = $"/api/catalog/items/{id}";
        var item = await client.GetFromJsonAsync<JsonElement>(itemUrl);
        var oldPrice = item.GetProperty("price").GetDecimal();
        var listUrl = $"/api/catalog/items?q={Uri.EscapeDataString(item.GetProperty("name").GetString()!)}&pageSize=100";
        (await client.GetAsync(listUrl)).EnsureSuccessStatusCode();
        // Before: every replica answers the item and a list that shows it from the shared cache, at the old price.
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(client, itemUrl), r => r.Instance, r =>
        {
            Assert.NotNull(r.Age);
            Assert.Equal(oldPrice, r.Json.GetProperty("price").GetDecimal());
        });
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(client, listUrl), r => r.Instance, r =>
        {
            Assert.NotNull(r.Age);
            Assert.Equal(oldPrice, Listed(r.Json, id).GetProperty("price").GetDecimal());
        });
        var newPrice = Math.Round(oldPrice + 1.11m, 2);

        using var put = new HttpRequestMessage(HttpMethod.Put, itemUrl)
        {
            Content = JsonContent.Create(new { price = newPrice }),
        };
        put.Headers.Add("X-Api-Key", TestSecrets.AdminKey);
        (await client.SendAsync(put)).EnsureSuccessStatusCode();

        // After: the very next answer of every replica has the new price, the item and the list alike.
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(client, itemUrl), r => r.Instance,
            r => Assert.Equal(newPrice, r.Json.GetProperty("price").GetDecimal()));
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(client, listUrl), r => r.Instance,
            r => Assert.Equal(newPrice, Listed(r.Json, id).GetProperty("price").GetDecimal()));
    }

    private static async Task<(string Instance, TimeSpan? Age, JsonElement Json)> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (response.Instance(), response.Headers.Age, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static JsonElement Listed(JsonElement list, int id) =>
        list.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetInt32() == id);

    [Fact]
    public async Task CatalogWritesNeedTheAdminKey()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Catalog);

        using var anonymous = await client.PutAsJsonAsync("/api/catalog/items/1", new { price = 1m });
        using var wrongKey = new HttpRequestMessage(HttpMethod.Put, "/api/catalog/items/1")
        {
            Content = JsonContent.Create(new { price = 1m }),
        };
        wrongKey.Headers.Add("X-Api-Key", "not-the-key");
        using var wrong = await client.SendAsync(wrongKey);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
    }

    [Fact]
    public async Task EveryOutputCacheKeyHasATimeToLive()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        (await client.GetAsync("/api/catalog/categories")).EnsureSuccessStatusCode();
        await using var redis = await shop.ConnectToRedisAsync();
        var db = redis.GetDatabase();

        var keys = new List<string>();
        await foreach (var key in redis.KeysEverywhereAsync("shop:oc:*"))
        {
            keys.Add(key!);
            Assert.NotNull(await db.KeyTimeToLiveAsync(key));
        }
        Assert.NotEmpty(keys);
    }
}

internal static class CatalogResponses
{
    /// <summary>Requests <paramref name="url"/> on fresh connections until a replica other than <paramref name="notFrom"/> answers.</summary>
    public static async Task<(string Instance, string Body, TimeSpan? Age)> FromAnotherReplicaAsync(
        HttpClient client, string url, string notFrom)
    {
        for (var attempt = 0; attempt < 40; attempt++)
        {
            using var response = await client.GetAsync(url);
            response.EnsureSuccessStatusCode();
            if (response.Instance() != notFrom)
            {
                return (response.Instance(), await response.Content.ReadAsStringAsync(), response.Headers.Age);
            }
        }
        throw new Xunit.Sdk.XunitException($"Every one of 40 connections landed on {notFrom}.");
    }
}
