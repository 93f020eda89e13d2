using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Refit;
using Shop.Testing;
using Shop.Web.Frontend.Clients;
using StackExchange.Redis;
using Order = Shop.Web.Frontend.Clients.Order;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// Stand-ins for Catalog.Api and Cart.Api (other services, tested in their own projects and end to end),
/// so these tests prove the storefront's own behaviour against a real Redis.
/// </summary>
public sealed class TestCatalog : ICatalogApi
{
    private int _imageRequests;
    private int _listRequests;
    private int _itemRequests;
    private int _categoryRequests;
    public int ImageRequests => _imageRequests;

    /// <summary>Calls a page made to the catalog's list and item routes: a page served from the cache makes none.</summary>
    public int ListRequests => _listRequests;
    public int ItemRequests => _itemRequests;
    public int CategoryRequests => _categoryRequests;

    /// <summary>The page number the last list request asked for.</summary>
    public int? LastPageAsked { get; private set; }

    public static readonly CatalogItem Teapot = new(1, "Blue Teapot", "A teapot.", "Potters", 19.99m, 42, "kitchen", "/api/catalog/items/1/image");
    public static readonly CatalogItem Mug = new(2, "Red Mug", "A mug.", "Potters", 5.50m, 3, "kitchen", "/api/catalog/items/2/image");

    public Task<CatalogPage> GetItemsAsync(string? category, string? q, string? sort, int? page, int? pageSize, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _listRequests);
        LastPageAsked = page;
        return Task.FromResult(new CatalogPage([Teapot, Mug], page ?? 1, pageSize ?? 12, 2));
    }

    public async Task<CatalogItem> GetItemAsync(int id, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _itemRequests);
        return id == Teapot.Id ? Teapot : id == Mug.Id ? Mug : throw await NotFound($"/api/catalog/items/{id}");
    }

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

    public Task<IReadOnlyList<CatalogCategory>> GetCategoriesAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _categoryRequests);
        return Task.FromResult<IReadOnlyList<CatalogCategory>>([new("kitchen", "Kitchen", 2)]);
    }

    internal static async Task<ApiException> NotFound(string path) => await ApiException.Create(
        new HttpRequestMessage(HttpMethod.Get, "http://catalog-api" + path), HttpMethod.Get,
        new HttpResponseMessage(HttpStatusCode.NotFound), new RefitSettings());
}

/// <summary>
/// Cart.Api's behaviour in memory, including its one security rule: every call must carry a Cart token the real
/// Cart.Api would accept, naming the cart the call touches (403 otherwise), so these tests catch a storefront that
/// sends no token or the wrong one.
/// </summary>
public sealed class TestCart : ICartApi
{
    public ConcurrentDictionary<string, ConcurrentDictionary<int, int>> Carts { get; } = new();
    public ConcurrentQueue<(string Into, string From)> Merges { get; } = new();

    private IDatabase? _redis;

    /// <summary>
    /// Keeps every cart this fake changes in Redis as well, where Cart.Api keeps it (<see cref="ShopCarts"/>), so the
    /// storefront's badge, which reads it there, sees what the fake holds.
    /// </summary>
    public void KeepCartsIn(IConnectionMultiplexer redis) => _redis = redis.GetDatabase();

    private async Task KeepAsync(string cartId)
    {
        if (_redis is null)
        {
            return;
        }
        var key = ShopCarts.Key(cartId);
        var lines = Carts.TryGetValue(cartId, out var cart) ? cart.ToArray() : [];
        var write = _redis.CreateTransaction();
        _ = write.KeyDeleteAsync(key);
        if (lines.Length > 0)
        {
            _ = write.HashSetAsync(key, [.. lines.Select(line => new HashEntry(line.Key, line.Value))]);
            _ = write.KeyExpireAsync(key, TimeSpan.FromHours(1));
        }
        await write.ExecuteAsync();
    }

    private Cart View(string cartId)
    {
        var lines = Carts.GetOrAdd(cartId, _ => new()).Select(l =>
        {
            var item = l.Key == 1 ? TestCatalog.Teapot : TestCatalog.Mug;
            return new CartLine(l.Key, item.Name, item.Price, l.Value, item.Price * l.Value, item.ImageUrl);
        }).ToList();
        return new Cart(cartId, lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal));
    }

    public async Task<Cart> GetCartAsync(string cartId, string token, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(token, cartId);
        return View(cartId);
    }

    public async Task<Cart> AddItemAsync(string cartId, AddCartItem item, string token, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(token, cartId);
        Carts.GetOrAdd(cartId, _ => new()).AddOrUpdate(item.ProductId, item.Quantity, (_, q) => Math.Min(99, q + item.Quantity));
        await KeepAsync(cartId);
        return View(cartId);
    }

    public async Task<Cart> SetQuantityAsync(string cartId, int productId, SetCartQuantity quantity, string token, CancellationToken cancellationToken)
    {
        await AuthorizeAsync(token, cartId);
        var cart = Carts.GetOrAdd(cartId, _ => new());
        if (quantity.Quantity == 0) { cart.TryRemove(productId, out _); } else { cart[productId] = quantity.Quantity; }
        await KeepAsync(cartId);
        return View(cartId);
    }

    public Task<Cart> RemoveItemAsync(string cartId, int productId, string token, CancellationToken cancellationToken) =>
        SetQuantityAsync(cartId, productId, new SetCartQuantity(0), token, cancellationToken);

    public async Task<Cart> MergeAsync(string cartId, MergeCarts merge, string token, CancellationToken cancellationToken)
    {
        var claims = await AuthorizeAsync(token, cartId);
        if (!claims.TryGetValue(ServiceTokens.MergeFromClaim, out var mergeFrom) || mergeFrom != merge.FromCartId)
        {
            throw await Forbidden($"/api/carts/{cartId}/merge");
        }
        Merges.Enqueue((cartId, merge.FromCartId));
        if (Carts.TryRemove(merge.FromCartId, out var from))
        {
            foreach (var (productId, quantity) in from)
            {
                Carts.GetOrAdd(cartId, _ => new()).AddOrUpdate(productId, quantity, (_, q) => Math.Min(99, q + quantity));
            }
        }
        await KeepAsync(merge.FromCartId);
        await KeepAsync(cartId);
        return View(cartId);
    }

    public Task<IApiResponse<Order>> CheckoutAsync(string cartId, string idempotencyKey, string token, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Checkout is covered end to end.");

    /// <summary>Bob's one order: found only with a token for bob's cart, as Cart.Api answers anyone else 404.</summary>
    public async Task<Order> GetOrderAsync(string orderId, string token, CancellationToken cancellationToken)
    {
        var claims = await TestSecrets.AcceptedClaimsAsync(ServiceTokens.Cart, token) ?? throw await Forbidden($"/api/orders/{orderId}");
        return orderId == new string('a', 32) && claims.GetValueOrDefault(ServiceTokens.CartClaim) == "u-bob"
            ? new Order(orderId, "u-bob", [], 0, DateTimeOffset.UtcNow)
            : throw await TestCatalog.NotFound($"/api/orders/{orderId}");
    }

    private static async Task<IReadOnlyDictionary<string, string>> AuthorizeAsync(string token, string cartId) =>
        await TestSecrets.AcceptedClaimsAsync(ServiceTokens.Cart, token) is { } claims
        && claims.GetValueOrDefault(ServiceTokens.CartClaim) == cartId
            ? claims
            : throw await Forbidden($"/api/carts/{cartId}");

    private static async Task<ApiException> Forbidden(string path) => await ApiException.Create(
        new HttpRequestMessage(HttpMethod.Get, "http://cart-api" + path), HttpMethod.Get,
        new HttpResponseMessage(HttpStatusCode.Forbidden), new RefitSettings());
}
