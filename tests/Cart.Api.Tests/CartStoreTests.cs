using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Shop.Testing;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

/// <summary>The cart operations against a real redis-server: semantics, limits, TTLs and concurrency.</summary>
public sealed class CartStoreTests : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(1);

    // The documented key name, limits and lifetimes (Cart.Api/README.md) are written out as literals here, never
    // taken from the code under test: a changed constant must fail a test, not move it.
    private static string CartKey(CartId cartId) => $"shop:cart:{{{cartId}}}";

    private readonly RedisServerFixture _redis;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private ConnectionMultiplexer _connection = null!;
    private CartStore _store = null!;

    public CartStoreTests(RedisServerFixture redis) => _redis = redis;

    public async ValueTask InitializeAsync()
    {
        _connection = await _redis.ConnectAsync();
        _store = NewStore(_connection);
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        await _services.DisposeAsync();
    }

    private IDatabase Db => _redis.Connection.GetDatabase();

    private CartStore NewStore(IConnectionMultiplexer connection) =>
        new(connection, Options.Create(new CartOptions()), new CartMetrics(_services.GetRequiredService<IMeterFactory>()));

    private static CartId Anonymous() => Parse(TestCarts.NewAnonymousId());

    private static CartId User() => Parse(TestCarts.NewUserId());

    private static CartId Parse(string value) => CartId.TryParse(value, out var id) ? id : throw new ArgumentException(value);

    private static Dictionary<int, int> Lines(CartContents contents) => contents.Entries.ToDictionary(e => e.ProductId, e => e.Quantity);

    private async Task<Dictionary<int, int>> StoredLines(CartId cartId) =>
        (await Db.HashGetAllAsync(CartKey(cartId))).ToDictionary(e => (int)e.Name, e => (int)e.Value);

    [Fact]
    public async Task AddingAProductTwiceAddsTheQuantities()
    {
        var cart = Anonymous();
        await _store.AddAsync(cart, 17, 2);
        var write = await _store.AddAsync(cart, 17, 3);

        Assert.True(write.Accepted);
        Assert.Equal(new Dictionary<int, int> { [17] = 5 }, Lines(write.Contents));
        Assert.Equal(new Dictionary<int, int> { [17] = 5 }, await StoredLines(cart));
    }

    [Fact]
    public async Task AddingIsCappedAtNinetyNine()
    {
        var cart = Anonymous();
        await _store.AddAsync(cart, 1, 60);
        var write = await _store.AddAsync(cart, 1, 60);

        Assert.Equal(99, Lines(write.Contents)[1]);
        Assert.Equal(99, await StoredLines(cart).ContinueWith(t => t.Result[1]));
    }

    [Fact]
    public async Task SetReplacesTheQuantityAndZeroRemovesTheLine()
    {
        var cart = Anonymous();
        await _store.AddAsync(cart, 1, 5);
        await _store.AddAsync(cart, 2, 1);

        await _store.SetAsync(cart, 1, 3);
        Assert.Equal(new Dictionary<int, int> { [1] = 3, [2] = 1 }, await StoredLines(cart));

        var write = await _store.SetAsync(cart, 2, 0);
        Assert.Equal(new Dictionary<int, int> { [1] = 3 }, Lines(write.Contents));
        Assert.Equal(new Dictionary<int, int> { [1] = 3 }, await StoredLines(cart));
    }

    [Fact]
    public async Task RemovingTheLastLineLeavesNoKeyBehind()
    {
        var cart = Anonymous();
        await _store.AddAsync(cart, 1, 5);
        var write = await _store.RemoveAsync(cart, 1);

        Assert.True(write.Contents.IsEmpty);
        Assert.False(await Db.KeyExistsAsync(CartKey(cart)));
    }

    [Fact]
    public async Task ClearDeletesTheCart()
    {
        var cart = Anonymous();
        await _store.AddAsync(cart, 1, 5);
        await _store.ClearAsync(cart);

        Assert.False(await Db.KeyExistsAsync(CartKey(cart)));
        Assert.True((await _store.GetAsync(cart)).IsEmpty);
    }

    [Fact]
    public async Task AnonymousCartsLiveSevenDaysAndUserCartsThirtyDays()
    {
        var anonymous = Anonymous();
        var user = User();
        await _store.AddAsync(anonymous, 1, 1);
        await _store.AddAsync(user, 1, 1);

        AssertTtl(TimeSpan.FromDays(7), await Db.KeyTimeToLiveAsync(CartKey(anonymous)));
        AssertTtl(TimeSpan.FromDays(30), await Db.KeyTimeToLiveAsync(CartKey(user)));
    }

    [Fact]
    public async Task ReadingACartPushesItsExpiryBackToTheFullTtl()
    {
        var cart = User();
        await _store.AddAsync(cart, 1, 1);
        await Db.KeyExpireAsync(CartKey(cart), TimeSpan.FromMinutes(5));

        await _store.GetAsync(cart);

        AssertTtl(TimeSpan.FromDays(30), await Db.KeyTimeToLiveAsync(CartKey(cart)));
    }

    [Fact]
    public async Task EveryKindOfWritePushesTheExpiryBackToTheFullTtl()
    {
        var cart = Anonymous();
        var key = CartKey(cart);
        await _store.AddAsync(cart, 1, 1);
        await _store.AddAsync(cart, 2, 1);

        Func<Task>[] writes =
        [
            () => _store.AddAsync(cart, 1, 1),
            () => _store.SetAsync(cart, 1, 4),
            () => _store.RemoveAsync(cart, 2),
        ];
        foreach (var write in writes)
        {
            await Db.KeyExpireAsync(key, TimeSpan.FromMinutes(5));
            await write();
            AssertTtl(TimeSpan.FromDays(7), await Db.KeyTimeToLiveAsync(key));
        }
    }

    [Fact]
    public async Task TheHundredAndFirstProductIsRefusedAndNothingChanges()
    {
        // The documented limit (Cart.Api/README.md): 100 different products per cart.
        const int maxLines = 100;
        var cart = Anonymous();
        await Db.HashSetAsync(CartKey(cart), Enumerable.Range(1, maxLines).Select(i => new HashEntry(i, 1)).ToArray());
        await Db.KeyExpireAsync(CartKey(cart), TimeSpan.FromMinutes(5));

        var added = await _store.AddAsync(cart, 101, 1);
        var set = await _store.SetAsync(cart, 102, 1);

        Assert.False(added.Accepted);
        Assert.False(set.Accepted);
        var stored = await StoredLines(cart);
        Assert.Equal(maxLines, stored.Count);
        Assert.DoesNotContain(101, stored.Keys);
        Assert.DoesNotContain(102, stored.Keys);
        Assert.True(await Db.KeyTimeToLiveAsync(CartKey(cart)) < TimeSpan.FromMinutes(6), "a refused write must not touch the cart");
    }

    [Fact]
    public async Task AFullCartStillAcceptsChangesToItsExistingLines()
    {
        // The documented limit (Cart.Api/README.md): 100 different products per cart.
        const int maxLines = 100;
        var cart = Anonymous();
        await Db.HashSetAsync(CartKey(cart), Enumerable.Range(1, maxLines).Select(i => new HashEntry(i, 1)).ToArray());

        Assert.True((await _store.AddAsync(cart, 50, 2)).Accepted);
        Assert.True((await _store.SetAsync(cart, 60, 7)).Accepted);
        var stored = await StoredLines(cart);
        Assert.Equal(3, stored[50]);
        Assert.Equal(7, stored[60]);
    }

    [Fact]
    public async Task FiftyParallelAddsFromTwoConnectionsAreAllCounted()
    {
        var cart = Anonymous();
        await using var second = await _redis.ConnectAsync();
        var stores = new[] { _store, NewStore(second) };

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => stores[i % 2].AddAsync(cart, 7, 1))));

        Assert.Equal(50, (await StoredLines(cart))[7]);
    }

    [Fact]
    public async Task ParallelAddsOfNewProductsNeverExceedTheLineLimit()
    {
        var cart = Anonymous();
        await Db.HashSetAsync(CartKey(cart), Enumerable.Range(1, 95).Select(i => new HashEntry(i, 1)).ToArray());

        var writes = await Task.WhenAll(Enumerable.Range(1000, 40).Select(id => Task.Run(() => _store.AddAsync(cart, id, 1))));

        Assert.Equal(5, writes.Count(w => w.Accepted));
        Assert.Equal(100, (await StoredLines(cart)).Count);
    }

    [Fact]
    public async Task MergeAddsQuantitiesCapsThemAndDeletesTheSource()
    {
        var anonymous = Anonymous();
        var user = User();
        await _store.AddAsync(anonymous, 1, 2);
        await _store.AddAsync(anonymous, 2, 50);
        await _store.AddAsync(anonymous, 3, 4);
        await _store.AddAsync(user, 1, 1);
        await _store.AddAsync(user, 2, 70);

        var write = await _store.MergeAsync(user, anonymous);

        Assert.True(write.Accepted);
        Assert.Equal(new Dictionary<int, int> { [1] = 3, [2] = 99, [3] = 4 }, await StoredLines(user));
        Assert.Equal(await StoredLines(user), Lines(write.Contents));
        Assert.False(await Db.KeyExistsAsync(CartKey(anonymous)));
        AssertTtl(TimeSpan.FromDays(30), await Db.KeyTimeToLiveAsync(CartKey(user)));
    }

    [Fact]
    public async Task MergeIntoAnEmptyUserCartGivesItTheUserTtl()
    {
        var anonymous = Anonymous();
        var user = User();
        await _store.AddAsync(anonymous, 1, 2);

        await _store.MergeAsync(user, anonymous);

        Assert.Equal(new Dictionary<int, int> { [1] = 2 }, await StoredLines(user));
        AssertTtl(TimeSpan.FromDays(30), await Db.KeyTimeToLiveAsync(CartKey(user)));
    }

    [Fact]
    public async Task AMergeThatWouldExceedTheLineLimitChangesNeitherCart()
    {
        var anonymous = Anonymous();
        var user = User();
        await Db.HashSetAsync(CartKey(user), Enumerable.Range(1, 99).Select(i => new HashEntry(i, 1)).ToArray());
        await _store.AddAsync(anonymous, 1, 1);
        await _store.AddAsync(anonymous, 500, 1);
        await _store.AddAsync(anonymous, 501, 1);

        var write = await _store.MergeAsync(user, anonymous);

        Assert.False(write.Accepted);
        Assert.Equal(99, (await StoredLines(user)).Count);
        Assert.Equal(1, (await StoredLines(user))[1]);
        Assert.Equal(new Dictionary<int, int> { [1] = 1, [500] = 1, [501] = 1 }, await StoredLines(anonymous));
    }

    [Fact]
    public async Task AMergeRetriedAfterItsSecondStepFailedAddsNothingTwiceAndStillEmptiesTheSource()
    {
        var anonymous = Anonymous();
        var user = User();
        await _store.AddAsync(anonymous, 1, 2);
        await _store.AddAsync(anonymous, 3, 1);
        await _store.AddAsync(user, 1, 1);
        await _store.MergeAsync(user, anonymous);
        // As if the source had not given up its lines (the second step failed) and the shopper's sign-in was retried.
        await Db.HashSetAsync(CartKey(anonymous), [new HashEntry(1, 2), new HashEntry(3, 1)]);

        var retried = await _store.MergeAsync(user, anonymous);

        Assert.True(retried.Accepted);
        Assert.Equal(new Dictionary<int, int> { [1] = 3, [3] = 1 }, await StoredLines(user));
        Assert.False(await Db.KeyExistsAsync(CartKey(anonymous)));
        AssertTtl(TimeSpan.FromHours(1), await Db.KeyTimeToLiveAsync($"shop:merged:{{{user}}}:{anonymous}"));
    }

    [Fact]
    public async Task ALaterMergeOfTheSameCartWithOtherLinesIsNotMistakenForARetry()
    {
        var anonymous = Anonymous();
        var user = User();
        await _store.AddAsync(anonymous, 1, 2);
        var merged = await _store.MergeAsync(user, anonymous);
        await _store.AddAsync(anonymous, 1, 1); // the same anonymous cart, used again before the next merge
        await _store.AddAsync(anonymous, 7, 1);

        var second = await _store.MergeAsync(user, anonymous);

        Assert.True(merged.Accepted);
        Assert.True(second.Accepted);
        Assert.Equal(new Dictionary<int, int> { [1] = 3, [7] = 1 }, await StoredLines(user));
        Assert.False(await Db.KeyExistsAsync(CartKey(anonymous)));
    }

    [Fact]
    public async Task ConfiguredTtlsAreUsed()
    {
        var options = new CartOptions { AnonymousTtl = TimeSpan.FromHours(2), UserTtl = TimeSpan.FromHours(3) };
        var store = new CartStore(_connection, Options.Create(options), new CartMetrics(_services.GetRequiredService<IMeterFactory>()));
        var anonymous = Anonymous();
        var user = User();

        await store.AddAsync(anonymous, 1, 1);
        await store.AddAsync(user, 1, 1);

        AssertTtl(TimeSpan.FromHours(2), await Db.KeyTimeToLiveAsync(CartKey(anonymous)));
        AssertTtl(TimeSpan.FromHours(3), await Db.KeyTimeToLiveAsync(CartKey(user)));
    }

    [Fact]
    public async Task CartWritesAreCountedOnTheShopCartMeter()
    {
        using var recorder = new MeterRecorder(_services.GetRequiredService<IMeterFactory>(), ShopMeters.Cart, "shop.cart.writes");
        var cart = Anonymous();

        await _store.AddAsync(cart, 1, 1);
        await _store.SetAsync(cart, 1, 2);
        await _store.RemoveAsync(cart, 1);
        await _store.ClearAsync(cart);

        Assert.Equal(["add", "set", "remove", "clear"], recorder.Measurements.Select(m => (string)m.Tags["operation"]!));
    }

    [Theory]
    [InlineData("a-0123456789abcdef0123456789abcdef", true)]
    [InlineData("u-alice", true)]
    [InlineData("u-a.b_c-d9", true)]
    [InlineData("a-0123456789ABCDEF0123456789ABCDEF", false)]
    [InlineData("a-0123456789abcdef", false)]
    [InlineData("u-", false)]
    [InlineData("u-.alice", false)]
    [InlineData("u-Alice", false)]
    [InlineData("u-alice:1", false)]
    [InlineData("x-alice", false)]
    [InlineData("", false)]
    public void CartIdsOutsideTheContractAreRejected(string value, bool valid) =>
        Assert.Equal(valid, CartId.TryParse(value, out _));

    [Fact]
    public void UserIdsLongerThanSixtyThreeCharactersAreRejected()
    {
        Assert.True(CartId.TryParse("u-" + new string('a', 63), out _));
        Assert.False(CartId.TryParse("u-" + new string('a', 64), out _));
    }

    private static void AssertTtl(TimeSpan expected, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value, expected - Slack, expected);
    }
}
