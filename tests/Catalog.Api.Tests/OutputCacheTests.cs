using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Catalog.Api.Api;
using Shop.Catalog.Api.Caching;

namespace Shop.Catalog.Api.Tests;

public sealed class OutputCacheTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task ASecondRequestForAListIsServedFromCacheWithAgeAndTheSameBody()
    {
        const string url = "/api/catalog/items?category=pets&sort=price&page=2&pageSize=9";

        var (first, firstBody) = await Client.GetWithBodyAsync(url);
        var (second, secondBody) = await Client.GetWithBodyAsync(url);

        Assert.Null(first.Headers.Age);
        Assert.NotNull(second.Headers.Age);
        Assert.Equal(firstBody, secondBody);
    }

    [Fact]
    public async Task EntriesVaryByTheListQueryKeysButNotByOtherParameters()
    {
        await Client.GetAsync("/api/catalog/items?category=toys&page=1");

        using var otherPage = await Client.GetAsync("/api/catalog/items?category=toys&page=2");
        using var tracking = await Client.GetAsync("/api/catalog/items?category=toys&page=1&utm_source=mail");

        Assert.Null(otherPage.Headers.Age);
        Assert.NotNull(tracking.Headers.Age);
    }

    [Fact]
    public async Task PutOfANewPriceEvictsTheItemAndEveryListButNotAnUnrelatedItem()
    {
        var target = await Client.GetFromJsonAsync<CatalogItem>("/api/catalog/items/500", CatalogHttp.Json);
        var byName = $"/api/catalog/items?q={Uri.EscapeDataString(target!.Name)}";
        var byCategory = $"/api/catalog/items?category={target.Category}&pageSize=100";
        const string unrelated = "/api/catalog/items/20";
        foreach (var url in new[] { "/api/catalog/items/500", byName, byCategory, unrelated, "/api/catalog/categories" })
        {
            await Client.GetAsync(url);
            Assert.NotNull((await Client.GetAsync(url)).Headers.Age);
        }
        var newPrice = target.Price + 1.11m;

        using var put = await Client.PutItemAsync(500, new { price = newPrice });
        put.EnsureSuccessStatusCode();

        var (item, itemBody) = await Client.GetWithBodyAsync("/api/catalog/items/500");
        Assert.Null(item.Headers.Age);
        Assert.Equal(newPrice, System.Text.Json.JsonSerializer.Deserialize<CatalogItem>(itemBody, CatalogHttp.Json)!.Price);
        foreach (var list in new[] { byName, byCategory })
        {
            using var response = await Client.GetAsync(list);
            Assert.Null(response.Headers.Age);
            var page = await response.Content.ReadFromJsonAsync<CatalogPage>(CatalogHttp.Json);
            Assert.Equal(newPrice, page!.Items.Single(i => i.Id == 500).Price);
        }
        Assert.Null((await Client.GetAsync("/api/catalog/categories")).Headers.Age);
        Assert.NotNull((await Client.GetAsync(unrelated)).Headers.Age);
    }

    [Fact]
    public async Task AReservationEvictsTheItemSoItsNewStockIsServed()
    {
        await Client.PutItemAsync(510, new { stock = 50 });
        await Client.GetAsync("/api/catalog/items/510");
        Assert.NotNull((await Client.GetAsync("/api/catalog/items/510")).Headers.Age);

        (await Client.ReserveAsync(510, 5)).EnsureSuccessStatusCode();

        using var response = await Client.GetAsync("/api/catalog/items/510");
        Assert.Null(response.Headers.Age);
        Assert.Equal(45, (await response.Content.ReadFromJsonAsync<CatalogItem>(CatalogHttp.Json))!.Stock);
    }

    [Fact]
    public async Task TheFlushCommandEvictsEveryCatalogEntry()
    {
        string[] urls = ["/api/catalog/items/30", "/api/catalog/items/30/image", "/api/catalog/items?category=beauty", "/api/catalog/categories"];
        foreach (var url in urls)
        {
            await Client.GetAsync(url);
            Assert.NotNull((await Client.GetAsync(url)).Headers.Age);
        }

        using var flush = await Client.SendAdminAsync(HttpMethod.Post, "/api/catalog/admin/cache/flush", null);

        Assert.Equal(HttpStatusCode.NoContent, flush.StatusCode);
        foreach (var url in urls)
        {
            Assert.Null((await Client.GetAsync(url)).Headers.Age);
        }
    }

    [Fact]
    public async Task EveryRedisKeyIsUnderTheOutputCachePrefixAndExpires()
    {
        // The class shares one Redis, and the test order is not fixed: a PUT in another test leaves the admin-write
        // limiter's rl:* keys (rate limiting's, not the cache's). Start empty, so every key below was written by reads.
        await fixture.Redis.FlushAsync();
        await Client.GetAsync("/api/catalog/items?category=sports&page=3");
        await Client.GetAsync("/api/catalog/items/40");
        await Client.GetAsync("/api/catalog/categories");
        // The TTL of the tag index is set fire-and-forget right after the store; give Redis a moment to apply it.
        var keys = await fixture.Redis.KeysWithTtlAsync();
        for (var attempt = 0; attempt < 20 && keys.Values.Any(ttl => ttl is null); attempt++)
        {
            await Task.Delay(50);
            keys = await fixture.Redis.KeysWithTtlAsync();
        }

        Assert.Contains(keys.Keys, k => k.StartsWith("shop:oc:__MSOCV_", StringComparison.Ordinal));
        // The documented key families (README, docs/architecture.md), as literals.
        Assert.Contains("shop:oc:__MSOCT_product:40", keys.Keys);
        Assert.Contains("shop:oc:__MSOCT", keys.Keys);
        Assert.All(keys, pair =>
        {
            Assert.StartsWith("shop:oc:", pair.Key);
            Assert.True(pair.Value is { } ttl && ttl > TimeSpan.Zero, $"{pair.Key} has no TTL");
        });
    }

    [Fact]
    public async Task HitsAndMissesAreCountedInTheOutputCacheMeter()
    {
        var meterFactory = fixture.Replica.Services.GetRequiredService<IMeterFactory>();
        var counts = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Shop.OutputCache"
                && instrument.Meter.Scope == meterFactory
                && instrument.Name == "shop.output_cache.lookups")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var result = (string)tags.ToArray().Single(t => t.Key == "result").Value!;
            lock (counts)
            {
                counts[result] = counts.GetValueOrDefault(result) + value;
            }
        });
        listener.Start();

        await Client.GetAsync("/api/catalog/items?category=outdoor&page=4");
        await Client.GetAsync("/api/catalog/items?category=outdoor&page=4");
        await Client.GetAsync("/api/catalog/items?category=outdoor&page=4");

        lock (counts)
        {
            Assert.True(counts.GetValueOrDefault("miss") >= 1);
            Assert.True(counts.GetValueOrDefault("hit") >= 2);
        }
    }

    [Fact]
    public async Task ErrorsAreNeverCached()
    {
        await Client.GetAsync("/api/catalog/items/999998");
        await Client.GetAsync("/api/catalog/items?page=0");

        Assert.Null((await Client.GetAsync("/api/catalog/items/999998")).Headers.Age);
        Assert.Null((await Client.GetAsync("/api/catalog/items?page=0")).Headers.Age);
    }
}
