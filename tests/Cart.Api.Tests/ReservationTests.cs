using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>
/// Checkout against a catalog whose answers go missing after it applied the call, and the sweep that settles
/// reservations whose checkout never finished. Real Redis; the catalog is the fake over real HTTP, which keeps
/// reservations by id as Catalog.Api does (Catalog.Api's own tests prove that side on SQLite).
/// </summary>
public sealed class ReservationTests : IClassFixture<CartApiFixture>
{
    private const string OpenReservations = "shop:reservations:open";

    private readonly CartApiFixture _fixture;
    private readonly HttpClient _client;

    public ReservationTests(CartApiFixture fixture)
    {
        _fixture = fixture;
        _client = fixture.Client;
        fixture.Catalog.Reset();
        fixture.Factory.Faults.Reset();
        // Each test counts the sweep's releases: nothing an earlier test left open may join in.
        fixture.Redis.Connection.GetDatabase().KeyDelete(OpenReservations);
    }

    private FakeCatalog Catalog => _fixture.Catalog;

    private CatalogFaults Faults => _fixture.Factory.Faults;

    private IDatabase Db => _fixture.Redis.Connection.GetDatabase();

    private ReservationSweeper Sweeper => _fixture.Factory.Services.GetRequiredService<ReservationSweeper>();

    /// <summary>The reservation's marker, in its cart's hash slot (the braces are a literal hash tag).</summary>
    private static string Marker(string cartId, string reservationId) => $"shop:reservation:{{{cartId}}}:{reservationId}";

    /// <summary>The sweep's index member of the reservation.</summary>
    private static string Member(string cartId, string reservationId) => $"{cartId}/{reservationId}";

    /// <summary>Open: its marker exists and the sweep's index names it.</summary>
    private async Task<bool> IsOpenAsync(string cartId, string reservationId) =>
        await Db.KeyExistsAsync(Marker(cartId, reservationId))
        && await Db.SortedSetScoreAsync(OpenReservations, Member(cartId, reservationId)) is not null;

    /// <summary>Neither the marker nor the index member is left.</summary>
    private async Task<bool> IsGoneAsync(string cartId, string reservationId) =>
        !await Db.KeyExistsAsync(Marker(cartId, reservationId))
        && await Db.SortedSetScoreAsync(OpenReservations, Member(cartId, reservationId)) is null;

    /// <summary>Makes an open reservation look as old as one whose checkout died long ago.</summary>
    private Task AgeAsync(string cartId, string reservationId) =>
        Db.SortedSetAddAsync(OpenReservations, Member(cartId, reservationId), 0, SortedSetWhen.Exists);

    /// <summary>What a replica that died right after reserving leaves behind: a marker and its index member, long ago.</summary>
    private async Task LeaveOpenAsync(string cartId, string reservationId)
    {
        await Db.StringSetAsync(Marker(cartId, reservationId), 0, TimeSpan.FromDays(7));
        await Db.SortedSetAddAsync(OpenReservations, Member(cartId, reservationId), 0);
    }

    private static string NewCartId() => "a-" + Guid.NewGuid().ToString("N");

    [Theory]
    [InlineData(LostAnswer.Dropped)]
    [InlineData(LostAnswer.TimedOut)]
    public async Task AReserveWhoseAnswerIsLostAfterTheCatalogAppliedItIsRetriedWithTheSameIdAndTakesTheStockOnce(LostAnswer lost)
    {
        var cartId = await _client.CartWithAsync((1, 2), (3, 1));
        Faults.LoseReserveAnswers(1, lost, productId: 1);

        var response = await _client.CheckoutAsync(cartId, Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(1, Faults.LostAnswers);
        Assert.Equal(2, Catalog.ReserveCalls(1)); // the lost one and its retry
        Assert.Equal(order.OrderId, Assert.Single(Catalog.ReservationIdsSeen));
        Assert.Equal(98, Catalog.Stock(1));
        Assert.Equal(99, Catalog.Stock(3));
        Assert.Equal(1, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        Assert.Equal([(1, 2), (3, 1)], order.Lines.Select(l => (l.ProductId, l.Quantity)));
        Assert.Equal("committed", Catalog.Reservation(order.OrderId)!.Value.State);
        Assert.Equal(0, Catalog.ReleaseCalls);
        Assert.True(await IsGoneAsync(cartId, order.OrderId));
    }

    [Theory]
    [InlineData(LostAnswer.Dropped)]
    [InlineData(LostAnswer.TimedOut)]
    public async Task WhenEveryTryOfAReserveLosesItsAnswerTheCheckoutGivesUpReturnsTheStockOnceAndPlacesNoOrder(LostAnswer lost)
    {
        var cartId = await _client.CartWithAsync((1, 2), (2, 1));
        Faults.LoseReserveAnswers(int.MaxValue, lost, productId: 2);

        var response = await _client.CheckoutAsync(cartId, Guid.NewGuid().ToString());

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(3, Catalog.ReserveCalls(2)); // Checkout:ReserveAttempts, each applied once at most
        var reservationId = Assert.Single(Catalog.ReservationIdsSeen);
        var reservation = Catalog.Reservation(reservationId)!.Value;
        Assert.Equal("released", reservation.State);
        // The line whose every answer was lost was applied, and went back with the rest.
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 1 }, reservation.Lines);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal(100, Catalog.Stock(2));
        Assert.Equal(1, Catalog.ReleaseCalls);
        Assert.Equal(0, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        Assert.Equal(new Dictionary<int, int> { [1] = 2, [2] = 1 }, await Db.StoredLinesAsync(cartId));
        Assert.True(await IsGoneAsync(cartId, reservationId));
    }

    [Fact]
    public async Task AShopperRetryAfterAGivenUpCheckoutReservesAfreshAndOrdersOnce()
    {
        var cartId = await _client.CartWithAsync((1, 2));
        var key = Guid.NewGuid().ToString();
        Faults.LoseReserveAnswers(3, LostAnswer.TimedOut);

        var gaveUp = await _client.CheckoutAsync(cartId, key);
        var retried = await _client.CheckoutAsync(cartId, key);

        await gaveUp.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var order = (await retried.Content.ReadFromJsonAsync<Order>())!;
        Assert.Equal(2, Catalog.ReservationIdsSeen.Count);
        Assert.Equal(98, Catalog.Stock(1));
        Assert.Equal(1, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        Assert.Equal("committed", Catalog.Reservation(order.OrderId)!.Value.State);
    }

    [Fact]
    public async Task WhenStoringTheOrderFailsAfterTheStockWasReservedTheStockIsReturnedOnceAndNoOrderExists()
    {
        var cartId = await _client.CartWithAsync((1, 2), (3, 1));
        // The last reserve is answered, then the cart key turns into a string: the commit script fails on its first
        // read (WRONGTYPE) before it writes anything, as a commit Redis refuses would.
        Catalog.DuringReserve = async () =>
        {
            if (Catalog.ReserveCalls(3) > 0)
            {
                await Db.KeyDeleteAsync("shop:cart:{" + cartId + "}");
                await Db.StringSetAsync("shop:cart:{" + cartId + "}", "not a cart");
            }
        };

        var response = await _client.CheckoutAsync(cartId);

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        var reservationId = Assert.Single(Catalog.ReservationIdsSeen);
        Assert.Equal("released", Catalog.Reservation(reservationId)!.Value.State);
        Assert.Equal(1, Catalog.ReleaseCalls);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal(100, Catalog.Stock(3));
        Assert.Equal(0, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        Assert.True(await IsGoneAsync(cartId, reservationId));
    }

    [Fact]
    public async Task ACheckoutThatCannotTellTheCatalogToReleaseLeavesItToTheSweepWhichReturnsTheStockOnce()
    {
        var cartId = await _client.CartWithAsync((1, 2), (2, 1));
        Catalog.FailReservesOf(2, HttpStatusCode.ServiceUnavailable);
        Catalog.FailReleases = true;

        var response = await _client.CheckoutAsync(cartId);

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        var reservationId = Assert.Single(Catalog.ReservationIdsSeen);
        Assert.Equal(98, Catalog.Stock(1)); // still held: the catalog could not be told
        Assert.True(await IsOpenAsync(cartId, reservationId));
        foreach (var key in new[] { OpenReservations, Marker(cartId, reservationId) })
        {
            var ttl = await Db.KeyTimeToLiveAsync(key);
            Assert.InRange(ttl!.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
        }

        Catalog.FailReleases = false;
        Assert.Equal(0, await Sweeper.SweepOnceAsync(CancellationToken.None)); // not yet past Checkout:ReservationTimeout
        Assert.Equal(98, Catalog.Stock(1));
        await AgeAsync(cartId, reservationId);
        var firstSweep = await Sweeper.SweepOnceAsync(CancellationToken.None);
        var secondSweep = await Sweeper.SweepOnceAsync(CancellationToken.None);

        Assert.Equal(1, firstSweep);
        Assert.Equal(0, secondSweep);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal("released", Catalog.Reservation(reservationId)!.Value.State);
        Assert.True(await IsGoneAsync(cartId, reservationId));
        Assert.Equal(0, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
    }

    [Fact]
    public async Task TheSweepReleasesTheReservationOfACheckoutThatDiedAfterReservingAndWhoseReleaseFailedPutsItBack()
    {
        var cartId = NewCartId();
        var reservationId = Guid.NewGuid().ToString("N");
        Catalog.ReserveDirectly(reservationId, 2, 5);
        await LeaveOpenAsync(cartId, reservationId);
        Catalog.FailReleases = true;

        var whileCatalogRefuses = await Sweeper.SweepOnceAsync(CancellationToken.None);
        var openWhileRefused = await IsOpenAsync(cartId, reservationId);
        Catalog.FailReleases = false;
        var afterwards = await Sweeper.SweepOnceAsync(CancellationToken.None);

        Assert.Equal(0, whileCatalogRefuses);
        Assert.True(openWhileRefused, "A release that failed must stay open for the next sweep.");
        Assert.Equal(1, afterwards);
        Assert.Equal(100, Catalog.Stock(2));
        Assert.True(await IsGoneAsync(cartId, reservationId));
    }

    [Fact]
    public async Task TwoReplicasSweepingAtOnceReleaseEachReservationOnce()
    {
        await using var replicaB = new CartApiFactory(_fixture.Redis.ConnectionString, Catalog.Url);
        var sweeperB = replicaB.Services.GetRequiredService<ReservationSweeper>();
        var ids = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid().ToString("N")).ToList();
        foreach (var id in ids)
        {
            Catalog.ReserveDirectly(id, 3, 1);
            await LeaveOpenAsync(NewCartId(), id);
        }

        var released = await Task.WhenAll(Sweeper.SweepOnceAsync(CancellationToken.None), sweeperB.SweepOnceAsync(CancellationToken.None));

        Assert.Equal(10, released.Sum());
        Assert.Equal(10, Catalog.ReleaseCalls);
        Assert.Equal(100, Catalog.Stock(3));
    }

    [Fact]
    public async Task ACheckoutThatOutlivesItsReservationPlacesNoOrderOnStockTheSweepReturned()
    {
        var cartId = await _client.CartWithAsync((1, 2));
        // Between the last reserve's answer and the commit, the checkout stalls past Checkout:ReservationTimeout
        // and a sweep (on any replica) releases its reservation.
        Faults.AfterReserveAnswered = async () =>
        {
            await AgeAsync(cartId, Assert.Single(Catalog.ReservationIdsSeen));
            Assert.Equal(1, await Sweeper.SweepOnceAsync(CancellationToken.None));
        };

        var response = await _client.CheckoutAsync(cartId, Guid.NewGuid().ToString());

        await response.ReadProblemAsync(HttpStatusCode.ServiceUnavailable);
        var reservationId = Assert.Single(Catalog.ReservationIdsSeen);
        Assert.Equal("released", Catalog.Reservation(reservationId)!.Value.State);
        Assert.Equal(100, Catalog.Stock(1));
        Assert.Equal(0, await _fixture.Redis.Connection.OrdersOfAsync(cartId));
        Assert.Equal(new Dictionary<int, int> { [1] = 2 }, await Db.StoredLinesAsync(cartId));
    }

    [Fact]
    public async Task APlacedOrdersReservationIsCommittedInTheCatalogAndNeverSwept()
    {
        var cartId = await _client.CartWithAsync((1, 4));

        var response = await _client.CheckoutAsync(cartId);
        var order = (await response.Content.ReadFromJsonAsync<Order>())!;
        var swept = await Sweeper.SweepOnceAsync(CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("committed", Catalog.Reservation(order.OrderId)!.Value.State);
        Assert.Equal(1, Catalog.CommitCalls);
        Assert.True(await IsGoneAsync(cartId, order.OrderId));
        Assert.Equal(0, swept);
        Assert.Equal(96, Catalog.Stock(1));
    }
}
