using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.EndToEnd.Tests;

[Collection(ShopAppCollection.Name)]
public sealed class CartAcrossReplicasTests(ShopAppFixture shop)
{
    private static string NewAnonymousCartId() => "a-" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task ConcurrentAddsThroughEveryReplicaAreAllCounted()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        var cartId = NewAnonymousCartId();
        var go = new TaskCompletionSource();

        var adds = Enumerable.Range(0, 24).Select(async _ =>
        {
            await go.Task;
            using var response = await client.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 3, quantity = 1 });
            response.EnsureSuccessStatusCode();
            return response.Instance();
        }).ToList();
        go.SetResult();
        var instances = await Task.WhenAll(adds);

        Assert.Equal(shop.ReplicaInstances(ShopResources.Cart).Order(), instances.Distinct().Order());
        var cart = await client.GetFromJsonAsync<JsonElement>($"/api/carts/{cartId}");
        Assert.Equal(24, cart.GetProperty("lines").EnumerateArray().Single().GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task ACartBuiltOnOneReplicaIsCompleteOnTheOthers()
    {
        // Written through one replica's own address, read back through the proxy on every replica.
        using var builder = new HttpClient(new CartTokenHandler(new HttpClientHandler()))
        {
            BaseAddress = shop.Shop.ReplicaAddresses(ShopResources.Cart)[0],
            Timeout = ShopApp.RequestTimeout,
        };
        using var readers = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        var cartId = NewAnonymousCartId();
        using var first = await builder.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 5, quantity = 2 });
        using var second = await builder.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 8, quantity = 1 });
        first.EnsureSuccessStatusCode();
        second.EnsureSuccessStatusCode();
        var builtOn = first.Instance();
        Assert.Equal(builtOn, second.Instance());

        var answers = await EveryReplica.ShowsAsync(shop.ReplicaInstances(ShopResources.Cart), readers, $"/api/carts/{cartId}", answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            var cart = JsonDocument.Parse(answer.Body).RootElement;
            Assert.Equal(3, cart.GetProperty("itemCount").GetInt32());
            Assert.Equal([(5, 2), (8, 1)], cart.GetProperty("lines").EnumerateArray()
                .Select(line => (line.GetProperty("productId").GetInt32(), line.GetProperty("quantity").GetInt32())));
        });
        Assert.Contains(answers, answer => answer.Instance != builtOn);
    }

    [Fact]
    public async Task CheckoutReservesStockThatEveryCatalogReplicaShowsAndARepeatedKeyPlacesOneOrder()
    {
        using var carts = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        using var catalog = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var catalogReplicas = shop.ReplicaInstances(ShopResources.Catalog);
        var productId = (await shop.InStockProductsAsync(1)).Single();
        var before = (await catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/items/{productId}")).GetProperty("stock").GetInt32();
        Assert.True(before >= 2, $"Product {productId} needs stock for this test.");
        await EveryReplica.ShowsAsync(catalogReplicas, catalog, $"/api/catalog/items/{productId}",
            answer => Assert.Equal(before, Stock(answer.Body)));
        var cartId = "u-e2e" + Guid.NewGuid().ToString("N")[..12];
        (await carts.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId, quantity = 2 })).EnsureSuccessStatusCode();
        var idempotencyKey = Guid.NewGuid().ToString();
        var go = new TaskCompletionSource();

        var checkouts = Enumerable.Range(0, 3).Select(async _ =>
        {
            await go.Task;
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout");
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await carts.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"Checkout answered {response.StatusCode}.");
            return (response.StatusCode, OrderId: (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString());
        }).ToList();
        go.SetResult();
        var placed = await Task.WhenAll(checkouts);

        Assert.Single(placed, p => p.StatusCode == HttpStatusCode.Created);
        var orderId = Assert.Single(placed.Select(p => p.OrderId).Distinct());
        await EveryReplica.ShowsAsync(catalogReplicas, catalog, $"/api/catalog/items/{productId}",
            answer => Assert.Equal(before - 2, Stock(answer.Body)));
        var emptied = await carts.GetFromJsonAsync<JsonElement>($"/api/carts/{cartId}");
        Assert.Equal(0, emptied.GetProperty("itemCount").GetInt32());
        using var orderResponse = await carts.SendAsync(CartTokenHandler.OrderRequest(orderId!, cartId));
        var order = await orderResponse.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(cartId, order.GetProperty("cartId").GetString());
    }

    private static int Stock(string itemJson) => JsonDocument.Parse(itemJson).RootElement.GetProperty("stock").GetInt32();
}
