using Shop.Bench.App;
using Shop.Testing;
using Shop.Bench.Load;
using Shop.Bench.Report;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 1: what a catalog list page costs served from the shared Redis output cache, from origin
/// (SQLite, caching off), and what the same process answers for a bare endpoint that does nothing: all
/// measured on the catalog replicas' own ports. The Aspire proxy's figure is reported on its own row.
/// </summary>
public sealed class OutputCacheScenario(BenchContext bench)
{
    public const string ListPath = "/api/catalog/items?pageSize=12";
    public const string HelloPath = "/api/catalog/hello";

    private LoadResult? _cached;
    private LoadResult? _hello;
    private LoadResult? _proxied;
    private LoadResult? _origin;
    private readonly List<string> _notes = [];

    public async Task MeasureSharedAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 1 - output cache (shared Redis)");
        var replicas = app.ReplicaAddresses(ShopResources.Catalog);
        var hits = await CacheProbe.CountAgeHeadersAsync(replicas, ListPath, cancellationToken);
        _notes.Add($"Before the cached run, {hits.WithAge} of {hits.Requests} probe requests (after the first) carried an `Age` header, i.e. were cache hits.");
        _cached = await bench.MeasureAsync(bench.Spec("catalog list, Redis output cache hit", replicas, ListPath), cancellationToken);
        _hello = await bench.MeasureAsync(bench.Spec("bare hello endpoint", replicas, HelloPath), cancellationToken);
        _proxied = await bench.MeasureAsync(
            bench.Spec("catalog list via the Aspire proxy", [app.Endpoint(ShopResources.Catalog)], ListPath), cancellationToken);
    }

    public async Task MeasureOriginAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 1 - output cache off (origin)");
        var replicas = app.ReplicaAddresses(ShopResources.Catalog);
        var hits = await CacheProbe.CountAgeHeadersAsync(replicas, ListPath, cancellationToken);
        _notes.Add($"With `Baseline:OutputCacheOff`, {hits.WithAge} of {hits.Requests} probe requests carried an `Age` header (0 expected: every read is served by SQLite).");
        _origin = await bench.MeasureAsync(bench.Spec("catalog list from origin (SQLite)", replicas, ListPath), cancellationToken);
    }

    public ScenarioReport Report()
    {
        var cachedVsOrigin = Format.Ratio(LoadRows.Rate(_cached), LoadRows.Rate(_origin));
        var cachedVsHello = Format.Ratio(LoadRows.Rate(_cached), LoadRows.Rate(_hello));
        var proxyCost = Format.Ratio(LoadRows.Rate(_cached), LoadRows.Rate(_proxied));
        return new ScenarioReport(1, "Output cache: Redis hit vs origin vs a bare endpoint",
            $"A catalog list page served from the shared Redis output cache ran at {Format.Rate(LoadRows.Rate(_cached))} req/s "
            + $"(p99 {Format.Ms(_cached?.P99Milliseconds ?? 0)} ms): {Format.Times(cachedVsOrigin)} the origin (SQLite) and "
            + $"{Format.Percent(cachedVsHello)} of a bare hello endpoint of the same service.",
            [
                new ReportTable($"`GET {ListPath}` and `GET {HelloPath}` on the catalog replicas' own ports",
                    ["endpoint", "served from", "target", .. LoadRows.Columns],
                    [
                        ["catalog list page", "Redis output cache (hit)", "replicas directly", .. LoadRows.Cells(_cached)],
                        ["catalog list page", "origin: SQLite (`Baseline:OutputCacheOff`)", "replicas directly", .. LoadRows.Cells(_origin)],
                        ["bare `hello`", "constant text, no cache, no database", "replicas directly", .. LoadRows.Cells(_hello)],
                        ["catalog list page", "Redis output cache (hit)", "Aspire proxy (not ours)", .. LoadRows.Cells(_proxied)],
                    ]),
            ],
            [
                .. _notes,
                $"Cache hit vs origin: {Format.Times(cachedVsOrigin)}; cache hit vs bare endpoint: {Format.Percent(cachedVsHello)} of its rate. "
                + $"Direct vs through the Aspire proxy: {Format.Times(proxyCost)} (direct req/s ÷ proxied req/s). The proxy is Aspire's development proxy, not part of Shop; it also shares the two cores with everything else.",
            ],
            [
                new ThroughputBar("1 Output cache", "list, Redis cache hit", LoadRows.Rate(_cached)),
                new ThroughputBar("1 Output cache", "list, origin (cache off)", LoadRows.Rate(_origin)),
                new ThroughputBar("1 Output cache", "bare hello endpoint", LoadRows.Rate(_hello)),
                new ThroughputBar("1 Output cache", "list via Aspire proxy", LoadRows.Rate(_proxied)),
            ],
            []);
    }

    public double CachedVsOrigin => Format.Ratio(LoadRows.Rate(_cached), LoadRows.Rate(_origin));

    public double CachedVsHello => Format.Ratio(LoadRows.Rate(_cached), LoadRows.Rate(_hello));
}
