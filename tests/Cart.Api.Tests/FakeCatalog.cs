using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Hosting;
using Shop.Cart.Api.Catalog;
using Shop.Testing;

namespace Shop.Cart.Api.Tests;

/// <summary>
/// A small but real HTTP Catalog.Api on a loopback port, speaking the contract's items/reserve/release routes
/// with an in-memory stock table that really enforces stock. Cart.Api reaches it through its Refit client,
/// service discovery and resilience handler exactly as it would reach the real catalog.
/// </summary>
public sealed class FakeCatalog : IAsyncDisposable
{
    private readonly object _stockLock = new();
    private readonly ConcurrentDictionary<int, CatalogItem> _items = new();
    private readonly ConcurrentDictionary<int, int> _reserveCalls = new();
    private readonly ConcurrentDictionary<int, int> _releaseCalls = new();
    private readonly ConcurrentDictionary<int, HttpStatusCode> _failReserve = new();
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>Runs inside every reservation, before stock is taken: lets a test act "during" a checkout.</summary>
    public Func<Task>? DuringReserve { get; set; }

    public int ReserveCalls(int id) => _reserveCalls.GetValueOrDefault(id);

    public int ReleaseCalls(int id) => _releaseCalls.GetValueOrDefault(id);

    public int TotalReserveCalls => _reserveCalls.Values.Sum();

    private int _itemReads;

    /// <summary>How many item reads the catalog has answered since it started.</summary>
    public int ItemReads => Volatile.Read(ref _itemReads);

    public int Stock(int id) => _items[id].Stock;

    public void FailReservesOf(int id, HttpStatusCode status) => _failReserve[id] = status;

    public void Seed(int id, string name, decimal price, int stock) =>
        _items[id] = new CatalogItem(id, name, $"{name} description", "Acme", price, stock, "kitchen", $"/api/catalog/items/{id}/image");

    public void SetStock(int id, int stock) => _items[id] = _items[id] with { Stock = stock };

    public void Reset()
    {
        _items.Clear();
        _reserveCalls.Clear();
        _releaseCalls.Clear();
        _failReserve.Clear();
        DuringReserve = null;
        Seed(1, "Kettle", 19.99m, 100);
        Seed(2, "Teapot", 5.50m, 100);
        Seed(3, "Mug", 2.25m, 100);
    }

    public async Task StartAsync()
    {
        Reset();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FakeCatalogJsonContext.Default));
        _app = builder.Build();

        var items = _app.MapGroup("/api/catalog/items");
        items.MapGet("/{id:int}", (int id) =>
        {
            Interlocked.Increment(ref _itemReads);
            return _items.TryGetValue(id, out var item) ? Results.Ok(item) : Results.NotFound();
        });
        items.MapPost("/{id:int}/stock/reserve", async (int id, StockChange change, HttpRequest request) =>
        {
            _reserveCalls.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (await RefusedAsync(request) is { } denied)
            {
                return denied;
            }
            if (DuringReserve is { } during)
            {
                await during();
            }
            if (_failReserve.TryGetValue(id, out var status))
            {
                return Results.Problem(statusCode: (int)status);
            }
            lock (_stockLock)
            {
                if (!_items.TryGetValue(id, out var item))
                {
                    return Results.NotFound();
                }
                if (item.Stock < change.Quantity)
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Insufficient stock");
                }
                _items[id] = item with { Stock = item.Stock - change.Quantity };
                return Results.Ok(_items[id]);
            }
        });
        items.MapPost("/{id:int}/stock/release", async (int id, StockChange change, HttpRequest request) =>
        {
            _releaseCalls.AddOrUpdate(id, 1, (_, n) => n + 1);
            if (await RefusedAsync(request) is { } denied)
            {
                return denied;
            }
            lock (_stockLock)
            {
                if (!_items.TryGetValue(id, out var item))
                {
                    return Results.NotFound();
                }
                _items[id] = item with { Stock = item.Stock + change.Quantity };
                return Results.Ok(_items[id]);
            }
        });

        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
    }

    /// <summary>What the real Catalog.Api answers a stock call: 401 without a Stock token it accepts, 403 without the stock scope.</summary>
    private static async Task<IResult?> RefusedAsync(HttpRequest request) =>
        request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal)
        && await TestSecrets.AcceptedClaimsAsync(ServiceTokens.Stock, header["Bearer ".Length..]) is { } claims
            ? claims.GetValueOrDefault(ServiceTokens.ScopeClaim) == "stock" ? null : Results.StatusCode(StatusCodes.Status403Forbidden)
            : Results.StatusCode(StatusCodes.Status401Unauthorized);

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(CatalogItem))]
[System.Text.Json.Serialization.JsonSerializable(typeof(StockChange))]
internal sealed partial class FakeCatalogJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
