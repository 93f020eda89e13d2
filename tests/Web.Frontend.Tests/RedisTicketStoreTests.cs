using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Shop.Testing;
using Shop.Web.Frontend.Authentication;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Tests;

public sealed class RedisTicketStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncLifetime
{
    // The documented key names (README, docs/architecture.md), as literals: a renamed family must fail here.
    private static string TicketKey(string ticketId) => $"shop:auth:{ticketId}";

    private static string DevicesKey(string userId) => $"shop:user:{userId}:sessions";

    private ConnectionMultiplexer _connection = null!;
    private IDatabase Db => redis.Connection.GetDatabase();

    public async ValueTask InitializeAsync()
    {
        await redis.ClearAsync();
        _connection = await redis.ConnectAsync();
    }

    public async ValueTask DisposeAsync() => await _connection.DisposeAsync();

    private RedisTicketStore NewStore(IDataProtectionProvider? protection = null) => new(
        _connection,
        new RedisAvailability(_connection, new ConfigurationBuilder().AddInMemoryCollection([new("RedisClient:StallBreak", "00:00:05")]).Build(),
            NullLogger<RedisAvailability>.Instance),
        protection ?? new EphemeralDataProtectionProvider(), new MemoryCache(new MemoryCacheOptions()),
        TimeProvider.System, NullLogger<RedisTicketStore>.Instance);

    private static AuthenticationTicket Ticket(string userId, TimeSpan lifetime)
    {
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, "Alice Liddell")], "Cookies");
        return new AuthenticationTicket(new ClaimsPrincipal(identity),
            new AuthenticationProperties { ExpiresUtc = DateTimeOffset.UtcNow + lifetime }, "Cookies");
    }

    private static DefaultHttpContext Request(string userAgent = "TestBrowser/1.0")
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.UserAgent = userAgent;
        context.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("10.1.2.3");
        return context;
    }

    [Fact]
    public async Task AStoredTicketIsRetrievedWithItsClaims()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(8)), Request(), default);

        var ticket = await store.RetrieveAsync(key, Request(), default);

        Assert.Equal("alice", ticket!.Principal.GetUserId());
        Assert.Equal("Alice Liddell", ticket.Principal.DisplayName());
    }

    [Fact]
    public async Task TheTicketKeyLivesExactlyAsLongAsTheTicket()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(8)), Request(), default);

        var ttl = await Db.KeyTimeToLiveAsync(TicketKey(key));
        var indexTtl = await Db.KeyTimeToLiveAsync(DevicesKey("alice"));

        Assert.InRange(ttl!.Value, TimeSpan.FromHours(8) - TimeSpan.FromSeconds(30), TimeSpan.FromHours(8));
        Assert.InRange(indexTtl!.Value, TimeSpan.FromHours(8) - TimeSpan.FromSeconds(30), TimeSpan.FromHours(8));
    }

    [Fact]
    public async Task TheStoredValueIsProtectedNotPlainClaims()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request(), default);

        byte[] raw = (await Db.StringGetAsync(TicketKey(key)))!;
        var text = Encoding.UTF8.GetString(raw) + Encoding.Unicode.GetString(raw);

        Assert.DoesNotContain("alice", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Liddell", text, StringComparison.OrdinalIgnoreCase);
        // A process with a different key ring cannot read it: it is treated as absent.
        Assert.Null(await NewStore(new EphemeralDataProtectionProvider()).RetrieveAsync(key, Request(), default));
    }

    [Fact]
    public async Task RenewingExtendsTheTtlButNeverResurrectsARemovedTicket()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromMinutes(10)), Request(), default);

        await store.RenewAsync(key, Ticket("alice", TimeSpan.FromHours(2)), Request(), default);
        var renewed = await Db.KeyTimeToLiveAsync(TicketKey(key));
        await store.RemoveAsync(key, Request(), default);
        await store.RenewAsync(key, Ticket("alice", TimeSpan.FromHours(2)), Request(), default);

        Assert.True(renewed > TimeSpan.FromHours(1));
        Assert.False(await Db.KeyExistsAsync(TicketKey(key)));
    }

    [Fact]
    public async Task RemovingATicketDeletesItsKeyAndItsIndexEntry()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request(), default);

        await store.RemoveAsync(key, new DefaultHttpContext(), default);

        Assert.False(await Db.KeyExistsAsync(TicketKey(key)));
        Assert.False(await Db.HashExistsAsync(DevicesKey("alice"), key));
        Assert.Null(await store.RetrieveAsync(key, Request(), default));
    }

    [Fact]
    public async Task TheIndexListsEachSignInWithItsDeviceAndPrunesExpiredTickets()
    {
        var store = NewStore();
        var phone = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request("Phone/1"), default);
        var laptop = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request("Laptop/2"), default);
        await Db.KeyDeleteAsync(TicketKey(phone)); // as if its TTL ran out

        var sessions = await store.ListSessionsAsync("alice");

        var only = Assert.Single(sessions);
        Assert.Equal(laptop, only.TicketId);
        Assert.Equal("Laptop/2", only.Device.UserAgent);
        Assert.Equal("10.1.2.3", only.Device.Ip);
        Assert.False(await Db.HashExistsAsync(DevicesKey("alice"), phone));
    }

    [Fact]
    public async Task TheIndexTtlFollowsTheLongestTicket()
    {
        var store = NewStore();
        await store.StoreAsync(Ticket("bob", TimeSpan.FromHours(8)), Request(), default);
        await store.StoreAsync(Ticket("bob", TimeSpan.FromMinutes(5)), Request(), default);

        var ttl = await Db.KeyTimeToLiveAsync(DevicesKey("bob"));

        Assert.True(ttl > TimeSpan.FromHours(7));
    }

    [Fact]
    public async Task RevokingDeletesOnlyTheUsersOwnTicket()
    {
        var store = NewStore();
        var alices = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request(), default);
        var bobs = await store.StoreAsync(Ticket("bob", TimeSpan.FromHours(1)), Request(), default);

        Assert.False(await store.RevokeAsync("alice", bobs));
        Assert.True(await store.RevokeAsync("alice", alices));

        Assert.True(await Db.KeyExistsAsync(TicketKey(bobs)));
        Assert.Null(await store.RetrieveAsync(alices, Request(), default));
    }

    [Fact]
    public async Task RevokingAllOthersKeepsOnlyThisDevice()
    {
        var store = NewStore();
        var here = await store.StoreAsync(Ticket("carol", TimeSpan.FromHours(1)), Request(), default);
        var other1 = await store.StoreAsync(Ticket("carol", TimeSpan.FromHours(1)), Request(), default);
        var other2 = await store.StoreAsync(Ticket("carol", TimeSpan.FromHours(1)), Request(), default);

        var revoked = await store.RevokeOthersAsync("carol", here);

        Assert.Equal(2, revoked);
        Assert.NotNull(await store.RetrieveAsync(here, Request(), default));
        Assert.Null(await store.RetrieveAsync(other1, Request(), default));
        Assert.Null(await store.RetrieveAsync(other2, Request(), default));
        Assert.Equal(here, Assert.Single(await store.ListSessionsAsync("carol")).TicketId);
    }

    [Fact]
    public async Task RetrievingMarksTheRequestWithItsTicketId()
    {
        var store = NewStore();
        var key = await store.StoreAsync(Ticket("alice", TimeSpan.FromHours(1)), Request(), default);
        var context = Request();

        await store.RetrieveAsync(key, context, default);

        Assert.Equal(key, context.Items[RedisTicketStore.TicketIdItem]);
    }
}
