using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// Stand-ins for Catalog.Api and Cart.Api (other services, tested in their own projects and end to end),
/// so these tests prove the storefront's own behaviour against a real Redis.
/// </summary>
public sealed class TestCatalog : ICatalogApi
{
    private int _imageRequests;
    public int ImageRequests => _imageRequests;

    public static readonly CatalogItem Teapot = new(1, "Blue Teapot", "A teapot.", "Potters", 19.99m, 42, "kitchen", "/api/catalog/items/1/image");
    public static readonly CatalogItem Mug = new(2, "Red Mug", "A mug.", "Potters", 5.50m, 3, "kitchen", "/api/catalog/items/2/image");

    public Task<CatalogPage> GetItemsAsync(string? category, string? q, string? sort, int? page, int? pageSize, CancellationToken cancellationToken) =>
        Task.FromResult(new CatalogPage([Teapot, Mug], page ?? 1, pageSize ?? 12, 2));

    public async Task<CatalogItem> GetItemAsync(int id, CancellationToken cancellationToken) =>
        id == Teapot.Id ? Teapot : id == Mug.Id ? Mug : throw await NotFound($"/api/catalog/items/{id}");

    public Task<HttpResponseMessage> GetImageAsync(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _imageRequests);
        return Task.FromResult(id is 1 or 2
            ? new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StringContent($"<svg xmlns=\"http://www.w3.org/2000/svg\"><text>{id}</text></svg>", Encoding.UTF8, "image/svg+xml"),
            }
            : new HttpResponseMessage(HttpStatusCode.NotFound));
    }

    public Task<IReadOnlyList<CatalogCategory>> GetCategoriesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CatalogCategory>>([new("kitchen", "Kitchen", 2)]);

    internal static async Task<ApiException> NotFound(string path) => await ApiException.Create(
        new HttpRequestMessage(HttpMethod.Get, "http://catalog-api" + path), HttpMethod.Get,
        new HttpResponseMessage(HttpStatusCode.NotFound), new RefitSettings());
}

public sealed class TestCart : ICartApi
{
    public ConcurrentDictionary<string, ConcurrentDictionary<int, int>> Carts { get; } = new();
    public ConcurrentQueue<(string Into, string From)> Merges { get; } = new();

    private Cart View(string cartId)
    {
        var lines = Carts.GetOrAdd(cartId, _ => new()).Select(l =>
        {
            var item = l.Key == 1 ? TestCatalog.Teapot : TestCatalog.Mug;
            return new CartLine(l.Key, item.Name, item.Price, l.Value, item.Price * l.Value, item.ImageUrl);
        }).ToList();
        return new Cart(cartId, lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal));
    }

    public Task<Cart> GetCartAsync(string cartId, CancellationToken cancellationToken) => Task.FromResult(View(cartId));

    public Task<Cart> AddItemAsync(string cartId, AddCartItem item, CancellationToken cancellationToken)
    {
        Carts.GetOrAdd(cartId, _ => new()).AddOrUpdate(item.ProductId, item.Quantity, (_, q) => Math.Min(99, q + item.Quantity));
        return Task.FromResult(View(cartId));
    }

    public Task<Cart> SetQuantityAsync(string cartId, int productId, SetCartQuantity quantity, CancellationToken cancellationToken)
    {
        var cart = Carts.GetOrAdd(cartId, _ => new());
        if (quantity.Quantity == 0) { cart.TryRemove(productId, out _); } else { cart[productId] = quantity.Quantity; }
        return Task.FromResult(View(cartId));
    }

    public Task<Cart> RemoveItemAsync(string cartId, int productId, CancellationToken cancellationToken) =>
        SetQuantityAsync(cartId, productId, new SetCartQuantity(0), cancellationToken);

    public Task<Cart> MergeAsync(string cartId, MergeCarts merge, CancellationToken cancellationToken)
    {
        Merges.Enqueue((cartId, merge.FromCartId));
        if (Carts.TryRemove(merge.FromCartId, out var from))
        {
            foreach (var (productId, quantity) in from)
            {
                Carts.GetOrAdd(cartId, _ => new()).AddOrUpdate(productId, quantity, (_, q) => Math.Min(99, q + quantity));
            }
        }
        return Task.FromResult(View(cartId));
    }

    public Task<IApiResponse<Order>> CheckoutAsync(string cartId, string idempotencyKey, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Checkout is covered end to end.");

    public async Task<Order> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        orderId == new string('a', 32)
            ? new Order(orderId, "u-bob", [], 0, DateTimeOffset.UtcNow)
            : throw await TestCatalog.NotFound($"/api/orders/{orderId}");
}
