using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.EndToEnd.Tests.Storefront;

/// <summary>
/// The storefront's cookieless pages come from the one shared Redis output cache, through the gateway as a shopper
/// gets them: one replica renders, every replica serves that rendering, and a catalog write evicts it everywhere.
/// </summary>
[Collection(ShopAppCollection.Name)]
public sealed class StorefrontCachingTests(ShopAppFixture shop)
{
    [Fact]
    public async Task ACookielessPageRenderedByOneStorefrontReplicaIsServedFromTheSharedCacheByEveryOther()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Frontend);
        // A search no other test makes, so the first answer is a miss.
        var url = "/?q=" + Guid.NewGuid().ToString("N")[..10];

        var answers = await EveryReplica.ShowsAsync(shop.ReplicaInstances(ShopResources.Frontend),
            () => GetAsync(client, url), a => a.ServedBy, a => Assert.Equal(HttpStatusCode.OK, a.Status));

        // Every answer is the first replica's rendering (its footer names it), whoever served it.
        var renderer = answers[0].RenderedBy;
        Assert.All(answers, a => Assert.Equal(renderer, a.RenderedBy));
        Assert.Contains(answers, a => a.ServedBy != renderer && a.Age is not null);
        Assert.All(answers, a => Assert.Null(Html.AntiforgeryToken(a.Body)));
    }

    [Fact]
    public async Task AfterAPriceChangeEveryStorefrontReplicasNextProductPageShowsTheNewPrice()
    {
        using var storefront = shop.CreateReplicaHoppingClient(ShopResources.Frontend);
        using var catalog = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var replicas = shop.ReplicaInstances(ShopResources.Frontend);
        var id = Random.Shared.Next(100, 900);
        var path = $"/products/{id}";
        var oldPrice = (await catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/items/{id}")).GetProperty("price").GetDecimal();
        // Before: every replica answers the page from the shared entry, at the old price.
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(storefront, path), a => a.ServedBy,
            a => Assert.Equal(Price(oldPrice), a.Price), minAnswers: 4);
        var newPrice = Math.Round(oldPrice + 1.11m, 2);

        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/catalog/items/{id}") { Content = JsonContent.Create(new { price = newPrice }) };
        put.Headers.Add("X-Api-Key", TestSecrets.AdminKey);
        (await catalog.SendAsync(put)).EnsureSuccessStatusCode();

        // After: the very next page of every replica shows the new price (0 stale reads).
        await EveryReplica.ShowsAsync(replicas, () => GetAsync(storefront, path), a => a.ServedBy,
            a => Assert.Equal(Price(newPrice), a.Price));
    }

    private static string Price(decimal amount) => amount.ToString("C", System.Globalization.CultureInfo.GetCultureInfo("en-US"));

    private static async Task<PageAnswer> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return new PageAnswer(response.StatusCode, response.Instance(), Html.TestId(body, "instance") ?? "", response.Headers.Age,
            WebUtility.HtmlDecode(Html.TestId(body, "price") ?? ""), body);
    }

    private sealed record PageAnswer(HttpStatusCode Status, string ServedBy, string RenderedBy, TimeSpan? Age, string Price, string Body);
}
