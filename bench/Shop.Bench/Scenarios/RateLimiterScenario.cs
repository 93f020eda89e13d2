using System.Net;
using Shop.Bench.App;
using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Testing;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 2: what the Redis limiter costs per request (on vs <c>RateLimiting:Enabled=false</c>, on a
/// limited storefront endpoint, with many clients each inside their budget), and what it is for: how many
/// permits a limit of L grants across the three storefront replicas when 64 clients push at once, counted
/// in Redis vs by ASP.NET Core's in-memory limiter per replica (<c>Baseline:InMemoryRateLimiter</c>).
/// </summary>
public sealed class RateLimiterScenario(BenchContext bench)
{
    /// <summary>A product image: under the storefront's <c>browse</c> policy, served from the output cache.</summary>
    public const string LimitedPath = "/images/products/3";

    private const int ThroughputClients = 4096;

    private LoadResult? _on;
    private LoadResult? _off;
    private PermitCount? _redis;
    private PermitCount? _inMemory;
    private long? _countedInRedis;

    public async Task MeasureSharedAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 2 - rate limiter (Redis)");
        _on = await bench.MeasureAsync(bench.Spec("limited endpoint, Redis limiter on", app.ReplicaAddresses(ShopResources.Frontend),
            LimitedPath, LoadRows.ManyClients(ThroughputClients, block: 1)), cancellationToken);
        var address = LoadRows.ClientAddress(block: 2, index: 1);
        _redis = await CountPermitsAsync(app, address, cancellationToken);
        _countedInRedis = await CountedInRedisAsync(app, address);
        bench.Progress($"    Redis's own count for that shopper (ZCARD of the limiter's window): {_countedInRedis}");
    }

    /// <summary>
    /// The library's sliding window is a sorted set with one member per admitted request: its size is what
    /// Redis itself admitted. More 200s than that means some requests were admitted by the per-replica
    /// fallback (a Redis call that timed out on an overloaded machine falls back rather than failing).
    /// </summary>
    private static async Task<long?> CountedInRedisAsync(ShopApp app, string address)
    {
        var database = app.Redis.GetDatabase();
        await foreach (var key in app.Redis.KeysEverywhereAsync($"rl:sw:*{address}*"))
        {
            if (await database.KeyTypeAsync(key) == StackExchange.Redis.RedisType.SortedSet)
            {
                return await database.SortedSetLengthAsync(key);
            }
        }
        return null;
    }

    public async Task MeasureOffAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 2 - rate limiter off");
        _off = await bench.MeasureAsync(bench.Spec("limited endpoint, limiter off", app.ReplicaAddresses(ShopResources.Frontend),
            LimitedPath, LoadRows.ManyClients(ThroughputClients, block: 1)), cancellationToken);
    }

    public async Task MeasurePerReplicaAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 2 - rate limiter in memory per replica");
        _inMemory = await CountPermitsAsync(app, LoadRows.ClientAddress(block: 2, index: 2), cancellationToken);
    }

    /// <summary>
    /// One client (one address, so one partition) sends 5 L requests from 64 concurrent connections, spread
    /// evenly over the storefront replicas, all within one window (a minute): every 200 is a granted permit.
    /// </summary>
    private async Task<PermitCount> CountPermitsAsync(ShopApp app, string clientAddress, CancellationToken cancellationToken)
    {
        var limit = bench.Options.BrowseLimit;
        var replicas = app.ReplicaAddresses(ShopResources.Frontend);
        var attempts = limit * 5;
        var clients = bench.Options.LimiterClients;
        bench.Progress($"  {clients} clients send {attempts} requests for one shopper (limit {limit}/min) over {replicas.Count} replicas");
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, UseCookies = false })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        // The image is served from the output cache from here on: what is counted is the limiter, not the origin.
        await PrimeAsync(client, replicas, clientAddress: LoadRows.ClientAddress(block: 2, index: 99), cancellationToken);
        long granted = 0, refused = 0, failed = 0;
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            for (var i = worker; i < attempts; i += clients)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replicas[i % replicas.Count], LimitedPath));
                foreach (var (name, value) in TestSecrets.AsGatewayFor(clientAddress))
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                using var response = await client.SendAsync(request, cancellationToken);
                // Anything but a 429 passed the limiter; a 5xx behind it is counted too, as a warning sign.
                _ = response.StatusCode == HttpStatusCode.TooManyRequests
                    ? Interlocked.Increment(ref refused)
                    : Interlocked.Increment(ref granted);
                if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }, cancellationToken));
        await Task.WhenAll(workers);
        bench.Progress($"    granted {granted} (of which {failed} failed behind the limiter), refused {refused}");
        return new PermitCount(limit, clients, attempts, replicas.Count, granted, refused, failed);
    }

    private static async Task PrimeAsync(HttpClient client, IReadOnlyList<Uri> replicas, string clientAddress, CancellationToken cancellationToken)
    {
        foreach (var replica in replicas)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replica, LimitedPath));
            foreach (var (name, value) in TestSecrets.AsGatewayFor(clientAddress))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await client.SendAsync(request, cancellationToken);
        }
    }

    public ScenarioReport Report()
    {
        var onVsOff = Format.Ratio(LoadRows.Rate(_on), LoadRows.Rate(_off));
        var grantedRatio = Format.Ratio(_inMemory?.Granted ?? double.NaN, _redis?.Granted ?? double.NaN);
        return new ScenarioReport(2, "Rate limiter: cost per request, and permits granted across replicas",
            $"The Redis limiter kept a limit of {bench.Options.BrowseLimit} at {_redis?.Granted} granted across {_redis?.Replicas} replicas "
            + $"(in-memory per replica: {_inMemory?.Granted}, {Format.Times(grantedRatio)}), at {Format.Percent(onVsOff)} of the "
            + "limiter-off request rate on a cached endpoint.",
            [
                new ReportTable($"`GET {LimitedPath}` (storefront `browse` policy, output-cached) on the storefront replicas' own ports, "
                    + $"{ThroughputClients:N0} simulated clients each within its budget",
                    ["limiter", .. LoadRows.Columns],
                    [["Redis (sliding window, Lua)", .. LoadRows.Cells(_on)], ["off (`RateLimiting:Enabled=false`)", .. LoadRows.Cells(_off)]]),
                new ReportTable($"Permits granted to ONE client for a limit of L = {bench.Options.BrowseLimit} per minute, "
                    + $"{bench.Options.LimiterClients} concurrent connections, requests spread evenly over the replicas",
                    ["limiter", "limit L", "replicas", "attempts", "granted (not 429)", "refused (429)", "of the granted: 5xx", "granted / L"],
                    [PermitRow("Redis (shared count)", _redis), PermitRow("in memory per replica (`Baseline:InMemoryRateLimiter`)", _inMemory)]),
            ],
            [
                $"Limiter on vs off: {Format.Percent(onVsOff)} of the request rate ({Format.Times(onVsOff)}). Each limited request costs one Redis script call (`EVALSHA`, a sliding window kept as a sorted set) before the output cache answers. This endpoint is the cheapest the storefront has (an output-cache hit is one Redis `GET`), so that extra round trip is a large share of its cost; on a page that does real work (scenario 3's home page runs at a few hundred req/s) the same round trip is a small share.",
                "The throughput runs go to the storefront replicas directly and rotate the client address over many addresses, sent as the gateway sends it (`X-Forwarded-For` with the gateway's key: the benchmark stands in for the gateway), so every simulated client stays inside its budget and no request is refused; the limiter still runs for every request.",
                $"Permits: Redis granted {_redis?.Granted} of L = {bench.Options.BrowseLimit}; the per-replica limiter granted {_inMemory?.Granted} ({Format.Times(grantedRatio)} L), because each replica counts only what it sees.",
                FallbackNote(),
            ],
            [
                new ThroughputBar("2 Rate limiter", "limited endpoint, Redis limiter", LoadRows.Rate(_on)),
                new ThroughputBar("2 Rate limiter", "same endpoint, limiter off", LoadRows.Rate(_off)),
            ],
            [new Comparison($"permits granted for L = {bench.Options.BrowseLimit}", _redis?.Granted ?? double.NaN, _inMemory?.Granted ?? double.NaN, "")]);
    }

    private string FallbackNote() => _redis is null || _countedInRedis is null
        ? "Redis's own count of the window could not be read."
        : _redis.Granted <= _countedInRedis
            ? $"Redis's own count of the window (ZCARD of the limiter's sorted set) was {_countedInRedis}: every permit was granted by the shared count."
            : $"Redis's own count of the window (ZCARD of the limiter's sorted set) was {_countedInRedis}: the other {_redis.Granted - _countedInRedis} "
              + "were admitted by the per-replica fallback while Redis calls timed out (the `browse` policy falls back to a local count rather than failing when Redis is slow or down; on a quiet machine this is 0).";

    private static string[] PermitRow(string label, PermitCount? count) => count is null
        ? [label, "not run", "", "", "", "", "", ""]
        :
        [
            label, Format.Count(count.Limit), Format.Count(count.Replicas), Format.Count(count.Attempts), Format.Count(count.Granted),
            Format.Count(count.Refused), Format.Count(count.Failed), Format.Times((double)count.Granted / count.Limit),
        ];

    public double OnVsOff => Format.Ratio(LoadRows.Rate(_on), LoadRows.Rate(_off));

    public double GrantedInMemoryVsRedis => Format.Ratio(_inMemory?.Granted ?? double.NaN, _redis?.Granted ?? double.NaN);

    public long? GrantedRedis => _redis?.Granted;

    public long? GrantedInMemory => _inMemory?.Granted;

    private sealed record PermitCount(int Limit, int Clients, int Attempts, int Replicas, long Granted, long Refused, long Failed);
}
