using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>
/// The catalog's two write limits, each a fixed window in Redis on two replicas: operators' writes per client address
/// (whatever key is presented, so guessing keys spends the guesser's own budget), stock writes per calling service.
/// </summary>
public sealed class AdminWriteRateLimitTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>, IAsyncLifetime
{
    private const int Limit = 4;

    // Each test starts with no counters (the fixture's Redis is shared by the class).
    public async ValueTask InitializeAsync() => await fixture.Redis.FlushAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task AdminWritesFromOneAddressOnTwoReplicasAdmitExactlyTheLimitThenAnswer429ProblemsWhileReadsAreFree()
    {
        await using var a = Limited(fixture.NewReplica("replica-a"));
        await using var b = Limited(fixture.NewReplica("replica-b"));
        var (clientA, clientB) = (a.CreateClient(), b.CreateClient());

        var writes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? clientA : clientB).PutItemAsync(8, new { stock = 50 + i })));

        Assert.Equal(Limit, writes.Count(r => r.StatusCode == HttpStatusCode.OK));
        await AssertRefusedByAsync("admin-write", writes.Where(r => r.StatusCode != HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/api/catalog/items/8")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync("/health")).StatusCode);
        var keys = await LimiterKeysAsync();
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.StartsWith("rl:fw:{admin-write:ip:", key.Key, StringComparison.Ordinal);
            Assert.DoesNotContain(CatalogApiFactory.AdminKey, key.Key, StringComparison.Ordinal);
            Assert.NotNull(key.Value);
        });
    }

    [Fact]
    public async Task WrongKeysSpendTheAddressBudgetSoTheRightKeyFromThereWaitsToo()
    {
        await using var a = Limited(fixture.NewReplica("replica-a"));
        var client = a.CreateClient();

        var guesses = await Task.WhenAll(Enumerable.Range(0, Limit).Select(i =>
            client.SendAdminAsync(HttpMethod.Put, "/api/catalog/items/8", new { stock = 1 }, apiKey: $"guess-{i}")));
        var right = await client.PutItemAsync(8, new { stock = 2 });

        Assert.All(guesses, g => Assert.Equal(HttpStatusCode.Forbidden, g.StatusCode));
        await AssertRefusedByAsync("admin-write", [right]);
    }

    [Fact]
    public async Task StockWritesByCartApiOnTwoReplicasAdmitExactlyTheLimitAndCountTheCallerNotTheAddress()
    {
        await using var a = Limited(fixture.NewReplica("replica-a"));
        await using var b = Limited(fixture.NewReplica("replica-b"));
        var (clientA, clientB) = (a.CreateClient(), b.CreateClient());

        var reserves = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? clientA : clientB).ReserveAsync(7, 1)));

        Assert.Equal(Limit, reserves.Count(r => r.StatusCode == HttpStatusCode.OK));
        await AssertRefusedByAsync("stock-write", reserves.Where(r => r.StatusCode != HttpStatusCode.OK));
        // The admin budget of the same address is untouched.
        Assert.Equal(HttpStatusCode.OK, (await clientA.PutItemAsync(8, new { stock = 3 })).StatusCode);
        Assert.Contains(await LimiterKeysAsync(), key => key.Key.StartsWith("rl:fw:{stock-write:caller:cart-api}", StringComparison.Ordinal));
    }

    private static async Task AssertRefusedByAsync(string policy, IEnumerable<HttpResponseMessage> refused)
    {
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(policy, problem.RootElement.GetProperty("policy").GetString());
            Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
    }

    private async Task<List<KeyValuePair<string, TimeSpan?>>> LimiterKeysAsync() =>
        [.. (await fixture.Redis.KeysWithTtlAsync()).Where(k => k.Key.StartsWith("rl:", StringComparison.Ordinal))];

    private static WebApplicationFactory<CatalogApiAssembly> Limited(CatalogApiFactory replica) =>
        replica.WithWebHostBuilder(builder =>
        {
            foreach (var policy in new[] { "admin-write", "stock-write" })
            {
                builder.UseSetting($"RateLimiting:Policies:{policy}:PermitLimit", $"{Limit}");
                builder.UseSetting($"RateLimiting:Policies:{policy}:Window", "01:00:00");
            }
        });
}
