using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Testing;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 6: what the one public entry costs. The same cached pages, for a visitor without cookies, straight to the
/// storefront replicas' own ports and through the gateway (YARP, one more hop, a replica chosen per request). Measured
/// in the <c>origin</c> run with every limiter off and the gateway's per-address ceiling raised out of the way
/// (<see cref="App.AppProfile.Origin"/>): through the gateway every wrk connection is one client address, 127.0.0.1,
/// which the ceiling would rightly stop.
/// </summary>
public sealed class GatewayScenario(BenchContext bench)
{
    private readonly List<(string Page, LoadResult Direct, LoadResult Gateway)> _pairs = [];

    public async Task MeasureAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 6 - the gateway: direct vs through it");
        var replicas = app.ReplicaAddresses(ShopResources.Frontend);
        Uri[] gateway = [app.Endpoint(ShopResources.Frontend)];
        var product = (await app.InStockProductsAsync(count: 1, minStock: 1))[0];
        foreach (var (page, path) in new[] { ("cookieless home page `/` (cache hit)", "/"), ("cookieless product page (cache hit)", $"/products/{product}") })
        {
            var direct = await bench.MeasureAsync(bench.Spec($"{page}, replicas directly", replicas, path), cancellationToken);
            var proxied = await bench.MeasureAsync(bench.Spec($"{page}, through the gateway", gateway, path), cancellationToken);
            _pairs.Add((page, direct, proxied));
        }
    }

    /// <summary>req/s through the gateway / req/s straight to the replicas, for the cookieless home page.</summary>
    public double GatewayVsDirect => _pairs.Count == 0 ? double.NaN : Format.Ratio(LoadRows.Rate(_pairs[0].Gateway), LoadRows.Rate(_pairs[0].Direct));

    public ScenarioReport Report() => new(6, "The gateway: what the one public entry costs",
        $"Through the gateway the cookieless home page ran at {Format.Percent(GatewayVsDirect)} of its rate straight to the storefront replicas.",
        [
            new ReportTable("Storefront pages straight to the replicas' own ports and through the gateway (limiters off, `origin` run)",
                ["page", "target", .. LoadRows.Columns],
                [.. _pairs.SelectMany(p => new[]
                {
                    (IReadOnlyList<string>)[p.Page, "storefront replicas directly", .. LoadRows.Cells(p.Direct)],
                    [p.Page, "the gateway (one address, YARP, a replica per request)", .. LoadRows.Cells(p.Gateway)],
                })]),
        ],
        [
            "The gateway's hop is a second HTTP request and response on the same two cores: for a page the storefront serves from Redis in about a millisecond, that hop is a large share of the work, which is what this table shows.",
            "Through the gateway, wrk's connections all come from 127.0.0.1, so the gateway's per-address ceiling (`EdgeLimit`) is raised for this run; as shipped it admits 1,200 requests per address and minute.",
        ],
        [.. _pairs.SelectMany(p => new[]
        {
            new ThroughputBar("6 Gateway", $"{p.Page.Split(" (", 2)[0]}, direct", LoadRows.Rate(p.Direct)),
            new ThroughputBar("6 Gateway", $"{p.Page.Split(" (", 2)[0]}, gateway", LoadRows.Rate(p.Gateway)),
        })],
        []);
}
