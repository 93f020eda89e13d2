using System.Globalization;
using Shop.Bench.App;
using Shop.Testing;
using Shop.Bench.Report;
using Shop.Bench.Storefront;
using StackExchange.Redis;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 5: how many Redis commands one page costs, from <c>INFO commandstats</c> before and after a batch
/// of requests (every service and replica together), divided by the batch size. Connection housekeeping
/// (PING, INFO, CLIENT, HELLO, AUTH, ...) is left out: it does not scale with requests.
/// </summary>
public sealed class RedisCommandsScenario(BenchContext bench)
{
    private static readonly HashSet<string> Housekeeping = new(StringComparer.OrdinalIgnoreCase)
    {
        "ping", "info", "client", "hello", "auth", "select", "echo", "cluster", "config", "command", "subscribe",
        "unsubscribe", "psubscribe", "punsubscribe", "sentinel", "role", "readonly", "time",
        // A Redis Cluster's replicas acknowledge their replication stream to their masters every second.
        "replconf", "psync", "sync",
    };

    private readonly List<CommandCount> _pages = [];

    public async Task MeasureAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 5 - Redis commands per request");
        var storefront = app.ReplicaAddresses(ShopResources.Frontend);
        using var client = Shopper.CreateClient(newConnectionPerRequest: false);

        var cookieless = new Shopper(LoadRows.ClientAddress(block: 7, index: 1));
        var withCart = new Shopper(LoadRows.ClientAddress(block: 7, index: 2));
        await withCart.AddToCartAsync(client, storefront[0], (await app.InStockProductsAsync(count: 10, minStock: 50))[1], cancellationToken);
        var signedIn = new Shopper(LoadRows.ClientAddress(block: 7, index: 3));
        await signedIn.SignInAsync(client, storefront[0], "alice", cancellationToken);
        // The catalog page the storefront will ask for is cached first, so every measured request is a hit.
        _ = await cookieless.GetAsync(client, new Uri(storefront[0], "/"), cancellationToken);

        await CountAsync(app, "cookieless catalog page `GET /` (storefront)", cookieless, client, storefront, "/", cancellationToken);
        await CountAsync(app, "session page `GET /cart` (anonymous shopper with a cart)", withCart, client, storefront, "/cart", cancellationToken);
        await CountAsync(app, "signed-in page `GET /` (alice)", signedIn, client, storefront, "/", cancellationToken);
        await CountAsync(app, "catalog API list `GET /api/catalog/items` (cache hit)", new Shopper(LoadRows.ClientAddress(7, 4)), client,
            app.ReplicaAddresses(ShopResources.Catalog), OutputCacheScenario.ListPath, cancellationToken);
    }

    private async Task CountAsync(ShopApp app, string page, Shopper shopper, HttpClient client, IReadOnlyList<Uri> replicas,
        string path, CancellationToken cancellationToken)
    {
        var requests = bench.Options.CommandSampleRequests;
        // One unmeasured request per replica first: a cache entry evicted by an earlier scenario's write is
        // refilled here, so the count is the steady state of the page, not one miss spread over the batch.
        foreach (var replica in replicas)
        {
            _ = await shopper.GetAsync(client, new Uri(replica, path), cancellationToken);
        }
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        var before = await ReadCommandStatsAsync(app.Redis);
        for (var i = 0; i < requests; i++)
        {
            var response = await shopper.GetAsync(client, new Uri(replicas[i % replicas.Count], path), cancellationToken);
            if ((int)response.Status >= 400)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.Status} while counting Redis commands.");
            }
        }
        // Fire-and-forget writes (the ticket's last-seen touch) land a moment after the response.
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        var after = await ReadCommandStatsAsync(app.Redis);
        var perCommand = after
            .Select(c => (Command: c.Key, Calls: c.Value - before.GetValueOrDefault(c.Key)))
            .Where(c => c.Calls > 0 && !Housekeeping.Contains(c.Command.Split('|')[0]))
            .OrderByDescending(c => c.Calls)
            .ToList();
        var result = new CommandCount(page, requests, perCommand.Sum(c => c.Calls) / (double)requests,
            [.. perCommand.Select(c => (c.Command, c.Calls / (double)requests))]);
        _pages.Add(result);
        bench.Progress($"  {page}: {Format.Number(result.PerRequest)} commands/request ({Breakdown(result)})");
    }

    private static async Task<Dictionary<string, long>> ReadCommandStatsAsync(ConnectionMultiplexer redis)
    {
        // Summed over the masters: a Redis Cluster spreads the commands over them (replicas only copy writes).
        var stats = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            foreach (var entry in (await server.InfoAsync("commandstats")).SelectMany(group => group))
            {
                // cmdstat_get: calls=12,usec=34,usec_per_call=2.83,rejected_calls=0,failed_calls=0
                var calls = entry.Value.Split(',').FirstOrDefault(part => part.StartsWith("calls=", StringComparison.Ordinal));
                if (entry.Key.StartsWith("cmdstat_", StringComparison.Ordinal) && calls is not null)
                {
                    var command = entry.Key["cmdstat_".Length..];
                    stats[command] = stats.GetValueOrDefault(command) + long.Parse(calls["calls=".Length..], CultureInfo.InvariantCulture);
                }
            }
        }
        return stats;
    }

    private static string Breakdown(CommandCount count) =>
        string.Join(", ", count.Commands.Select(c => $"{c.Command.ToUpperInvariant()} {Format.Number(c.PerRequest)}"));

    public ScenarioReport Report() => new(5, "Redis commands per request",
        "Redis commands per request: " + string.Join("; ", _pages.Select(p => $"{p.Page.Split(" `", 2)[0]} {Format.Number(p.PerRequest, "0.0")}")) + ".",
        [
            new ReportTable($"`INFO commandstats` delta over {bench.Options.CommandSampleRequests} sequential requests per page, spread over the replicas, all services counted",
                ["page", "requests", "commands / request", "breakdown (per request)"],
                [.. _pages.Select(p => new[] { p.Page, Format.Count(p.Requests), Format.Number(p.PerRequest), Breakdown(p) })]),
        ],
        [
            "Counted with Shop as designed (the `shared` run): rate limiter on, so every storefront page includes the `browse` limiter's script call (`EVALSHA`).",
            "A storefront page that lists products includes Catalog.Api's output-cache read: the storefront asks Catalog.Api, which answers from Redis.",
            "`INFO commandstats` counts every command Redis executes, including those a Lua script runs: the `browse` limiter is ONE round trip (`EVALSHA`) that executes ZREMRANGEBYSCORE, ZCARD, ZADD, HINCRBY and two PEXPIREAT inside Redis. Round trips per page are therefore fewer than the commands listed.",
            "Housekeeping commands (PING, INFO, CLIENT, HELLO, AUTH, ...) are excluded; health probes and the Redis clients' keep-alives send them on their own schedule.",
        ],
        [],
        []);

    private sealed record CommandCount(string Page, int Requests, double PerRequest, IReadOnlyList<(string Command, double PerRequest)> Commands);
}
