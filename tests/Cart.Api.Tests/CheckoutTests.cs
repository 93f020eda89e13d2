using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>Checkout through HTTP: stock reserved in the (fake, real-HTTP) catalog, order stored, cart emptied.</summary>
public sealed class CheckoutTests : IClassFixture<CartApiFixture>
{
    private readonly CartApiFixture _fixture;
    private readonly HttpClient _client;

    public CheckoutTests(CartApiFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Client;
        fixture.Catalog.Reset();
        fixture.Factory.Faults.Reset();
    }

    private FakeCatalog Catalog => _fixture.Catalog;

    private IDatabase Db => _fixture.Redis.Connection.GetDatabase();

    [Fact]
    public async Task CheckoutStoresTheOrderEmptiesTheCartAndTakesTheStock()
    {
        var cartId = await _client.CartWithAsync((1, 2), (3, 4));
        using var orders = new MeterRecorder(
            _fixture.Factory.Services.GetRequiredService<IMeterFactory>(), ShopMeters.Cart, "shop.cart.orders_placed");

        var response = await _client.CheckoutAsync(cartId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Matches("^[0-9a-f]{32}$", order.OrderId);
        Assert.Equal($"/api/orders/{order.OrderId}", response.Headers.Location?.OriginalString);
        Assert.Equal(cartId, order.CartId);
        Assert.Equal([(1, 2, 39.98m), (3, 4, 9.00m)], order.Lines.Select(l => (l.ProductId, l.Quantity, l.LineTotal)));
        Assert.Equal(48.98m, order.Total);
        Assert.Equal(98, Catalog.Stock(1));
        Assert.Equal(96, Catalog.Stock(3));
        Assert.False(await Db.KeyExistsAsync("shop:cart:{" + cartId + "}"));

        var ttl = await Db.KeyTimeToLiveAsync($"shop:order:{{{cartId}}}:{order.OrderId}");
        Assert.InRange(ttl!.Value, TimeSpan.FromDays(365) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        var stored = await (await _client.SendWithTokenAsync(HttpMethod.Get, $"/api/orders/{order.OrderId}", TestSecrets.CartToken(cartId)))
            .Content.ReadFromJsonAsync<Order>();
        Assert.Equal(order.OrderId, stored!.OrderId);
        Assert.Equal(order.Total, stored.Total);
        Assert.Equal(order.Lines, stored.Lines);
        Assert.Equal(1, orders.Measurements.Sum(m => m.Value));
    }

    [Fact]
    public async Task AnUnknownOrderIs404()
    {
        var response = await _client.SendWithTokenAsync(HttpMethod.Get, $"/api/orders/{Guid.NewGuid():N}", TestSecrets.CartToken(TestCarts.NewUserId()));
        await response.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CheckoutOfAnEmptyCartIs400()
    {
        var response = await _client.CheckoutAsync(TestCarts.NewAnonymousId());

        await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, Catalog.TotalReserveCalls);
    }

    [Fact]
    public async Task InsufficientStockForTheSecondLineIs409ReleasesTheFirstAndKeepsTheCart()
    {
        var cartId = await _client.CartWithAsync((1, 2), (2, 5));
        Catalog.SetStock(2, 3);

        var response = await _client.CheckoutAsync(cartId);

        var problem = await response.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, problem.GetProperty("productId").GetInt32());
        Assert.Equal(1, Catalog.ReserveCalls(1));
        Assert.Equal(1, Catalog.ReleaseCalls);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal(3, Catalog.Stock(2));
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 5 }, await Db.StoredLinesAsync(cartId));
        Assert.Equal(0, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
    }

    [Fact]
    public async Task AFailingReservationIsTriedAsOftenAsConfiguredUnderOneIdThenEverythingIsReleased()
    {
        var cartId = await _client.CartWithAsync((1, 1), (2, 1));
        Catalog.FailReservesOf(2, HttpStatusCode.ServiceUnavailable);

        var response = await _client.CheckoutAsync(cartId);

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        // Checkout:ReserveAttempts (3) tries, all under the one reservation id (the resilience handler adds none: POST).
        Assert.Equal(3, Catalog.ReserveCalls(2));
        var reservationId = Assert.Single(Catalog.ReservationIdsSeen);
        Assert.Equal("released", Catalog.Reservation(reservationId)!.Value.State);
        Assert.Equal(1, Catalog.ReleaseCalls);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal(new Dictionary<int, int> { [1] = 1, [2] = 1 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyTwiceReturnsTheSameOrderOnce()
    {
        var cartId = await _client.CartWithAsync((1, 3));
        var key = Guid.NewGuid().ToString();

        var first = await _client.CheckoutAsync(cartId, key);
        var second = await _client.CheckoutAsync(cartId, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var firstOrder = (await first.Content.ReadFromJsonAsync<Order>())!;
        var secondOrder = (await second.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(firstOrder.OrderId, secondOrder.OrderId);
        Assert.Equal(1, Catalog.ReserveCalls(1));
        Assert.Equal(97, Catalog.Stock(1));
        Assert.Equal(1, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        var claimTtl = await Db.KeyTimeToLiveAsync($"shop:idem:{{{cartId}}}:{key}");
        Assert.InRange(claimTtl!.Value, TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task TwoConcurrentCheckoutsWithTheSameKeyPlaceOneOrderAndReserveOnce()
    {
        var cartId = await _client.CartWithAsync((1, 2), (2, 1));
        var firstIsReserving = new TaskCompletionSource();
        var letReservationsFinish = new TaskCompletionSource();
        Catalog.DuringReserve = async () =>
        {
            firstIsReserving.TrySetResult();
            await letReservationsFinish.Task;
        };
        var key = Guid.NewGuid().ToString();

        var first = _client.CheckoutAsync(cartId, key);
        await firstIsReserving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // The first checkout holds the claim and is stuck in its first reservation: the duplicate arrives now,
        // which a sequential run could never do, and must wait for the first one's order instead of reserving.
        var second = _client.CheckoutAsync(cartId, key);
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        Assert.False(second.IsCompleted, "The duplicate checkout must wait for the first one.");
        Assert.Equal(1, Catalog.TotalReserveCalls);
        letReservationsFinish.SetResult();
        var responses = await Task.WhenAll(first, second);

        Assert.Equal(HttpStatusCode.Created, responses[0].StatusCode);
        Assert.Equal(HttpStatusCode.OK, responses[1].StatusCode);
        var orders = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<Order>()));
        Assert.Equal(orders[0]!.OrderId, orders[1]!.OrderId);
        Assert.Equal(1, Catalog.ReserveCalls(1));
        Assert.Equal(1, Catalog.ReserveCalls(2));
        Assert.Equal(98, Catalog.Stock(1));
        Assert.Equal(1, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
    }

    [Fact]
    public async Task TwoConcurrentCheckoutsWithoutAKeyNeverOrderTheCartTwice()
    {
        var cartId = await _client.CartWithAsync((1, 2));
        var arrived = 0;
        var bothAreReserving = new TaskCompletionSource();
        var letReservationsFinish = new TaskCompletionSource();
        Catalog.DuringReserve = async () =>
        {
            if (Interlocked.Increment(ref arrived) == 2)
            {
                bothAreReserving.SetResult();
            }
            await letReservationsFinish.Task;
        };

        var checkouts = new[] { _client.CheckoutAsync(cartId), _client.CheckoutAsync(cartId) };
        // Both read the same cart and reached the catalog before either committed: they really overlap.
        await bothAreReserving.Task.WaitAsync(TimeSpan.FromSeconds(10));
        letReservationsFinish.SetResult();
        var responses = await Task.WhenAll(checkouts);

        // One commit wins; the other finds the cart changed (a sequential run would see an empty cart, 400, and
        // never reserve), gives its reservation back, and orders nothing.
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Conflict);
        Assert.Equal(2, Catalog.ReserveCalls(1));
        Assert.Equal(1, Catalog.ReleaseCalls);
        Assert.Equal(98, Catalog.Stock(1));
        Assert.Equal(1, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
    }

    [Fact]
    public async Task AFailedCheckoutDropsItsClaimSoARetryWithTheSameKeySucceeds()
    {
        var cartId = await _client.CartWithAsync((1, 5));
        Catalog.SetStock(1, 2);
        var key = Guid.NewGuid().ToString();

        var failed = await _client.CheckoutAsync(cartId, key);
        Catalog.SetStock(1, 10);
        var retried = await _client.CheckoutAsync(cartId, key);

        await failed.ReadProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(5, Catalog.Stock(1));
    }

    [Fact]
    public async Task AnItemAddedByAnotherTabDuringCheckoutStaysInTheCart()
    {
        var cartId = await _client.CartWithAsync((1, 2));
        // Another tab, through another replica, adds a mug while the kettle is being reserved.
        Catalog.DuringReserve = () => Db.HashSetAsync("shop:cart:{" + cartId + "}", 3, 1);

        var response = await _client.CheckoutAsync(cartId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(new Dictionary<int, int> { [3] = 1 }, await Db.StoredLinesAsync(cartId));
    }
}
