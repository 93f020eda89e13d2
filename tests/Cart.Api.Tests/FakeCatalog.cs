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
/// A small but real HTTP Catalog.Api on a loopback port, speaking the contract's item, reserve, release and commit
/// routes with an in-memory stock table that really enforces stock and keeps reservations by id as Catalog.Api does
/// (a repeated reserve is a no-op, a release gives back once, a committed reservation is never released, a released
/// one takes no new lines). Cart.Api reaches it through its Refit client, service discovery and resilience handler
/// exactly as it would reach the real catalog.
/// </summary>
public sealed class FakeCatalog : IAsyncDisposable
{
    private readonly object _stockLock = new();
    private readonly ConcurrentDictionary<int, CatalogItem> _items = new();
    private readonly ConcurrentDictionary<int, int> _reserveCalls = new();
    private readonly Dictionary<string, FakeReservation> _reservations = [];
    private int _releaseCalls;
    private int _commitCalls;
    private readonly ConcurrentDictionary<int, HttpStatusCode> _failReserve = new();
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    /// <summary>Runs inside every reservation, before stock is taken: lets a test act "during" a checkout.</summary>
    public Func<Task>? DuringReserve { get; set; }

    public int ReserveCalls(int id) => _reserveCalls.GetValueOrDefault(id);

    /// <summary>Release calls for any reservation, answered or not.</summary>
    public int ReleaseCalls => Volatile.Read(ref _releaseCalls);

    public int CommitCalls => Volatile.Read(ref _commitCalls);

    /// <summary>Reserve calls that carried a reservation id (all of them, if Cart.Api keeps the contract), by id.</summary>
    public IReadOnlyCollection<string> ReservationIdsSeen
    {
        get { lock (_stockLock) { return [.. _reservationIdsSeen]; } }
    }

    private readonly HashSet<string> _reservationIdsSeen = [];

    /// <summary>The reservation's state (reserved, committed, released) and its lines, or null if the catalog never saw it.</summary>
    public (string State, IReadOnlyDictionary<int, int> Lines)? Reservation(string reservationId)
    {
        lock (_stockLock)
        {
            return _reservations.TryGetValue(reservationId, out var r) ? (r.State, new Dictionary<int, int>(r.Lines)) : null;
        }
    }

    /// <summary>Reserves as Cart.Api would, without Cart.Api: a checkout that died after its reserve.</summary>
    public void ReserveDirectly(string reservationId, int id, int quantity)
    {
        lock (_stockLock)
        {
            var item = _items[id];
            _items[id] = item with { Stock = item.Stock - quantity };
            _reservations[reservationId] = new FakeReservation { Lines = { [id] = quantity } };
        }
    }

    public int TotalReserveCalls => _reserveCalls.Values.Sum();

    private int _itemReads;

    /// <summary>How many item reads the catalog has answered since it started.</summary>
    public int ItemReads => Volatile.Read(ref _itemReads);

    public int Stock(int id) => _items[id].Stock;

    public void FailReservesOf(int id, HttpStatusCode status) => _failReserve[id] = status;

    /// <summary>While set, every release is answered 503 without giving anything back: the catalog cannot be told.</summary>
    public bool FailReleases { get; set; }

    public void Seed(int id, string name, decimal price, int stock) =>
        _items[id] = new CatalogItem(id, name, $"{name} description", "Acme", price, stock, "kitchen", $"/api/catalog/items/{id}/image");

    public void SetStock(int id, int stock) => _items[id] = _items[id] with { Stock = stock };

    public void Reset()
    {
        _items.Clear();
        _reserveCalls.Clear();
        lock (_stockLock)
        {
            _reservations.Clear();
            _reservationIdsSeen.Clear();
        }
        _releaseCalls = 0;
        _commitCalls = 0;
        _failReserve.Clear();
        FailReleases = false;
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
                _reservationIdsSeen.Add(change.ReservationId);
                var reservation = _reservations.GetValueOrDefault(change.ReservationId);
                if (reservation is not null && reservation.Lines.TryGetValue(id, out var held))
                {
                    return held == change.Quantity ? Results.Ok(_items[id]) : Results.StatusCode(StatusCodes.Status422UnprocessableEntity);
                }
                if (reservation is { State: not "reserved" })
                {
                    return Results.Problem(statusCode: StatusCodes.Status410Gone, title: "The reservation is closed.");
                }
                if (!_items.TryGetValue(id, out var item))
                {
                    return Results.NotFound();
                }
                if (item.Stock < change.Quantity)
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Insufficient stock");
                }
                _items[id] = item with { Stock = item.Stock - change.Quantity };
                reservation ??= _reservations[change.ReservationId] = new FakeReservation();
                reservation.Lines[id] = change.Quantity;
                return Results.Ok(_items[id]);
            }
        });
        var reservations = _app.MapGroup("/api/catalog/reservations/{reservationId}");
        reservations.MapPost("/release", async (string reservationId, HttpRequest request) =>
        {
            Interlocked.Increment(ref _releaseCalls);
            if (await RefusedAsync(request) is { } denied)
            {
                return denied;
            }
            if (FailReleases)
            {
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable);
            }
            lock (_stockLock)
            {
                // An unknown id is recorded as released with no lines, fencing out a late reserve (as the catalog does).
                if (!_reservations.TryGetValue(reservationId, out var reservation))
                {
                    reservation = _reservations[reservationId] = new FakeReservation { State = "released" };
                }
                else if (reservation.State == "committed")
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The reservation is committed.");
                }
                else if (reservation.State == "reserved")
                {
                    foreach (var (productId, quantity) in reservation.Lines)
                    {
                        _items[productId] = _items[productId] with { Stock = _items[productId].Stock + quantity };
                    }
                    reservation.State = "released";
                }
                return Results.Ok(reservation.ToContract(reservationId));
            }
        });
        reservations.MapPost("/commit", async (string reservationId, HttpRequest request) =>
        {
            Interlocked.Increment(ref _commitCalls);
            if (await RefusedAsync(request) is { } denied)
            {
                return denied;
            }
            lock (_stockLock)
            {
                if (!_reservations.TryGetValue(reservationId, out var reservation))
                {
                    return Results.NotFound();
                }
                if (reservation.State == "released")
                {
                    return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The reservation is released.");
                }
                reservation.State = "committed";
                return Results.Ok(reservation.ToContract(reservationId));
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
[System.Text.Json.Serialization.JsonSerializable(typeof(StockReservation))]
internal sealed partial class FakeCatalogJsonContext : System.Text.Json.Serialization.JsonSerializerContext;

internal sealed class FakeReservation
{
    public string State { get; set; } = "reserved";

    public Dictionary<int, int> Lines { get; } = [];

    public StockReservation ToContract(string id) =>
        new(id, State, [.. Lines.OrderBy(l => l.Key).Select(l => new ReservedLine(l.Key, l.Value))]);
}
