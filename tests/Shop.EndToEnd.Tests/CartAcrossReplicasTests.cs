using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Testing;

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

        var adds = Enumerable.Range(0, 24).Select(async _ =>
        {
            using var response = await client.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 3, quantity = 1 });
            response.EnsureSuccessStatusCode();
            return response.Instance();
        });
        var instances = await Task.WhenAll(adds);

        Assert.True(instances.Distinct().Count() > 1, "The adds should have been spread over several replicas.");
        var cart = await client.GetFromJsonAsync<JsonElement>($"/api/carts/{cartId}");
        Assert.Equal(24, cart.GetProperty("lines").EnumerateArray().Single().GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task ACartBuiltOnOneReplicaIsCompleteOnTheOthers()
    {
        using var client = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        var cartId = NewAnonymousCartId();
        (await client.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 5, quantity = 2 })).EnsureSuccessStatusCode();
        (await client.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId = 8, quantity = 1 })).EnsureSuccessStatusCode();

        var seen = new HashSet<string>();
        for (var i = 0; i < 30 && seen.Count < ShopResources.Replicas[ShopResources.Cart]; i++)
        {
            using var response = await client.GetAsync($"/api/carts/{cartId}");
            var cart = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(3, cart.GetProperty("itemCount").GetInt32());
            seen.Add(response.Instance());
        }
        Assert.Equal(ShopResources.Replicas[ShopResources.Cart], seen.Count);
    }

    [Fact]
    public async Task CheckoutReservesStockThatEveryCatalogReplicaShowsAndARepeatedKeyPlacesOneOrder()
    {
        using var carts = shop.CreateReplicaHoppingClient(ShopResources.Cart);
        using var catalog = shop.CreateReplicaHoppingClient(ShopResources.Catalog);
        var productId = (await shop.InStockProductsAsync(1)).Single();
        var before = (await catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/items/{productId}")).GetProperty("stock").GetInt32();
        Assert.True(before >= 2, $"Product {productId} needs stock for this test.");
        var cartId = "u-e2e" + Guid.NewGuid().ToString("N")[..12];
        (await carts.PostAsJsonAsync($"/api/carts/{cartId}/items", new { productId, quantity = 2 })).EnsureSuccessStatusCode();
        var idempotencyKey = Guid.NewGuid().ToString();

        var checkouts = await Task.WhenAll(Enumerable.Range(0, 3).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/carts/{cartId}/checkout");
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await carts.SendAsync(request);
            Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"Checkout answered {response.StatusCode}.");
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderId").GetString();
        }));

        Assert.Single(checkouts.Distinct());
        for (var i = 0; i < 8; i++)
        {
            var item = await catalog.GetFromJsonAsync<JsonElement>($"/api/catalog/items/{productId}");
            Assert.Equal(before - 2, item.GetProperty("stock").GetInt32());
        }
        var emptied = await carts.GetFromJsonAsync<JsonElement>($"/api/carts/{cartId}");
        Assert.Equal(0, emptied.GetProperty("itemCount").GetInt32());
        var order = await carts.GetFromJsonAsync<JsonElement>($"/api/orders/{checkouts[0]}");
        Assert.Equal(cartId, order.GetProperty("cartId").GetString());
    }
}
