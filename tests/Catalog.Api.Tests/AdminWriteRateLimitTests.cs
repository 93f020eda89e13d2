using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;

namespace Shop.Catalog.Api.Tests;

/// <summary>The admin-write fixed window per API key, on two replicas sharing one Redis.</summary>
public sealed class AdminWriteRateLimitTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private const int Limit = 4;

    [Fact]
    public async Task WritesWithOneKeyOnTwoReplicasAdmitExactlyTheLimitThenAnswer429ProblemsWhileReadsAreFree()
    {
        await using var a = Limited(fixture.NewReplica("replica-a"));
        await using var b = Limited(fixture.NewReplica("replica-b"));
        var (clientA, clientB) = (a.CreateClient(), b.CreateClient());

        var writes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => i % 3 == 0
            ? (i % 2 == 0 ? clientA : clientB).ReserveAsync(7, 1)
            : (i % 2 == 0 ? clientA : clientB).PutItemAsync(8, new { stock = 50 + i })));

        Assert.Equal(Limit, writes.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var refused in writes.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal("admin-write", problem.RootElement.GetProperty("policy").GetString());
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        }
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("/api/catalog/items/8")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await clientA.GetAsync("/health")).StatusCode);

        var keys = (await fixture.Redis.KeysWithTtlAsync()).Where(k => k.Key.StartsWith("rl:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(keys);
        Assert.All(keys, key =>
        {
            Assert.StartsWith("rl:fw:{admin-write:key:", key.Key, StringComparison.Ordinal);
            Assert.DoesNotContain(CatalogApiFactory.AdminKey, key.Key, StringComparison.Ordinal);
            Assert.NotNull(key.Value);
        });
    }

    private static Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<CatalogApiAssembly> Limited(CatalogApiFactory replica) =>
        replica.WithWebHostBuilder(builder =>
        {
            builder.UseSetting("RateLimiting:Policies:admin-write:PermitLimit", $"{Limit}");
            builder.UseSetting("RateLimiting:Policies:admin-write:Window", "01:00:00");
        });
}
