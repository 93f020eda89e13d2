using Shop.Bench.App;
using Shop.Testing;
using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Bench.Storefront;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 3: what a session costs on a page, and what it buys. Cost: the home page for a shopper without
/// a session cookie (the session middleware is scoped, so it does not run at all) against the same page for
/// shoppers who have a cart (session loaded from Redis, cart badge read from the cart in Redis). Benefit: a shopper
/// builds a cart (or signs in) on one replica, then requests are spread over the replicas by the proxy, one
/// new connection each: with Redis every replica sees the cart; with <c>Baseline:InProcessSession</c> only
/// the replica that made it does.
/// </summary>
public sealed class SessionScenario(BenchContext bench)
{
    private LoadResult? _withoutSession;
    private LoadResult? _withSession;
    private LoadResult? _bare;
    private LoadResult? _product;
    private LoadResult? _withSessionLimiterOff;
    private LoadResult? _signedInLimiterOff;
    private PageSpans? _sessionSpans;
    private PageSpans? _signedInSpans;
    private readonly Dictionary<string, Visibility> _visibility = [];

    public async Task MeasureSharedAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 3 - sessions (Redis)");
        var replicas = app.ReplicaAddresses(ShopResources.Frontend);
        var count = bench.Options.SessionShoppers;
        bench.Progress($"  {count} shoppers each put a product in their cart");
        using var client = Shopper.CreateClient(newConnectionPerRequest: false);
        var products = await app.InStockProductsAsync(count: 10, minStock: 50);
        var shoppers = Enumerable.Range(0, count).Select(i => new Shopper(LoadRows.ClientAddress(block: 3, index: i))).ToList();
        await Parallel.ForEachAsync(shoppers.Select((shopper, i) => (shopper, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (item, ct) => await item.shopper.AddToCartAsync(client, replicas[item.i % replicas.Count], products[item.i % products.Length], ct));

        // The storefront's own floor: a bare endpoint through the same pipeline (no page, no Redis, no other service).
        _bare = await bench.MeasureAsync(bench.Spec("storefront bare endpoint `/alive`", replicas, "/alive",
            LoadRows.ManyClients(4096, block: 9)), cancellationToken);
        _withoutSession = await bench.MeasureAsync(bench.Spec("home page, no session cookie", replicas, "/",
            LoadRows.ManyClients(4096, block: 4)), cancellationToken);
        _product = await bench.MeasureAsync(bench.Spec("product page, no session cookie", replicas, $"/products/{products[0]}",
            LoadRows.ManyClients(4096, block: 10)), cancellationToken);
        _withSession = await bench.MeasureAsync(bench.RenderedPageSpec("home page, shopper with a session and a cart", replicas, "/",
            [.. shoppers.Select(s => s.Headers())]), cancellationToken);

        await MeasureVisibilityAsync(app, "Redis (shared)", block: 5, cancellationToken);
    }

    /// <summary>
    /// With every limiter off (the <c>origin</c> run): the session page again, and the page of a signed-in shopper. Signed in,
    /// the <c>browse</c> budget is the user's on every device, and the three demo accounts would only measure their own
    /// limit with the limiter on; so both are measured here, side by side, each account signed in on several devices.
    /// </summary>
    public async Task MeasureLimiterOffAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 3 - session and signed-in pages, limiter off");
        var replicas = app.ReplicaAddresses(ShopResources.Frontend);
        using var client = Shopper.CreateClient(newConnectionPerRequest: false);
        var products = await app.InStockProductsAsync(count: 10, minStock: 50);
        var count = bench.Options.SessionShoppers;
        var withCarts = Enumerable.Range(0, count).Select(i => new Shopper(LoadRows.ClientAddress(block: 11, index: i))).ToList();
        await Parallel.ForEachAsync(withCarts.Select((shopper, i) => (shopper, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (item, ct) => await item.shopper.AddToCartAsync(client, replicas[item.i % replicas.Count], products[item.i % products.Length], ct));
        string[] accounts = ["alice", "bob", "carol"];
        var devices = Enumerable.Range(0, bench.Options.SignedInDevices).Select(i => new Shopper(LoadRows.ClientAddress(block: 12, index: i))).ToList();
        await Parallel.ForEachAsync(devices.Select((shopper, i) => (shopper, i)),
            new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (item, ct) => await item.shopper.SignInAsync(client, replicas[item.i % replicas.Count], accounts[item.i % accounts.Length], ct));

        var before = await PageSpans.ReadAsync(replicas, cancellationToken);
        _withSessionLimiterOff = await bench.MeasureAsync(bench.RenderedPageSpec("home page, shopper with a session and a cart, limiter off", replicas, "/",
            [.. withCarts.Select(s => s.Headers())]), cancellationToken);
        _sessionSpans = await PageSpans.SinceAsync(before, replicas, cancellationToken);
        before = await PageSpans.ReadAsync(replicas, cancellationToken);
        _signedInLimiterOff = await bench.MeasureAsync(bench.RenderedPageSpec("home page, signed-in shopper, limiter off", replicas, "/",
            [.. devices.Select(s => s.Headers())]), cancellationToken);
        _signedInSpans = await PageSpans.SinceAsync(before, replicas, cancellationToken);
        bench.Progress($"  where a page's time went: session page {Format.Ms(_sessionSpans.PageMs)} ms ({Format.Ms(_sessionSpans.OutsideMs)} ms inside no span), "
            + $"signed in {Format.Ms(_signedInSpans.PageMs)} ms ({Format.Ms(_signedInSpans.OutsideMs)} ms inside no span)");
    }

    public Task MeasurePerReplicaAsync(ShopApp app, CancellationToken cancellationToken)
    {
        bench.Progress("Scenario 3 - sessions in process (per replica)");
        return MeasureVisibilityAsync(app, "in process per replica (`Baseline:InProcessSession`)", block: 6, cancellationToken);
    }

    private async Task MeasureVisibilityAsync(ShopApp app, string mode, int block, CancellationToken cancellationToken)
    {
        var origin = app.ReplicaAddresses(ShopResources.Frontend)[0];
        var proxy = app.Endpoint(ShopResources.Frontend);
        using var setup = Shopper.CreateClient(newConnectionPerRequest: false);
        using var hopping = Shopper.CreateClient(newConnectionPerRequest: true);

        var anonymous = new Shopper(LoadRows.ClientAddress(block, 1));
        await anonymous.AddToCartAsync(setup, origin, (await app.InStockProductsAsync(count: 10, minStock: 50))[0], cancellationToken);
        var signedIn = new Shopper(LoadRows.ClientAddress(block, 2));
        await signedIn.SignInAsync(setup, origin, "bob", cancellationToken);

        var cart = await VisitAsync(anonymous, hopping, new Uri(proxy, "/cart"), page => page.CartLineProductIds.Count > 0, cancellationToken);
        var user = await VisitAsync(signedIn, hopping, new Uri(proxy, "/"), page => page.UserName is not null, cancellationToken);
        _visibility[mode] = new Visibility(cart, user);
        bench.Progress($"  {mode}: cart seen on {cart.Seen}/{cart.Requests}, still signed in on {user.Seen}/{user.Requests} "
            + $"(replicas answering: {cart.Replicas}, {user.Replicas})");
    }

    private async Task<Visits> VisitAsync(Shopper shopper, HttpClient client, Uri url, Func<StorefrontPage, bool> sees,
        CancellationToken cancellationToken)
    {
        var instances = new HashSet<string>(StringComparer.Ordinal);
        var seen = 0;
        var requests = bench.Options.VisibilityRequests;
        for (var i = 0; i < requests; i++)
        {
            var page = await shopper.GetAsync(client, url, cancellationToken);
            instances.Add(page.Instance);
            seen += sees(page) ? 1 : 0;
        }
        return new Visits(requests, seen, instances.Count);
    }

    public ScenarioReport Report()
    {
        var sessionVsNone = Format.Ratio(LoadRows.Rate(_withSession), LoadRows.Rate(_withoutSession));
        var redis = _visibility.FirstOrDefault(v => v.Key.StartsWith("Redis", StringComparison.Ordinal)).Value;
        var local = _visibility.FirstOrDefault(v => !v.Key.StartsWith("Redis", StringComparison.Ordinal)).Value;
        return new ScenarioReport(3, "Sessions: what a session costs, and who still sees the cart",
            $"A shopper's cart was visible on {Share(redis?.Cart)} of requests spread over the replicas with Redis sessions "
            + $"and on {Share(local?.Cart)} with in-process sessions; the home page with a session (and cart badge) ran at "
            + $"{Format.Percent(sessionVsNone)} of its rate without one.",
            [
                new ReportTable("Storefront pages on the storefront replicas' own ports (limiter as shipped)",
                    ["page, shopper", "what the request does", .. LoadRows.Columns],
                    [
                        ["`/alive`, any", "bare endpoint: the pipeline, no page", .. LoadRows.Cells(_bare)],
                        ["`/`, no session cookie", "limiter + one shared output-cache read (Redis); no call to Catalog.Api", .. LoadRows.Cells(_withoutSession)],
                        ["`/products/{id}`, no session cookie", "limiter + one shared output-cache read (Redis); no call to Catalog.Api", .. LoadRows.Cells(_product)],
                        [$"`/`, with a session and a cart ({bench.Options.SessionShoppers} shoppers, rotating)", SessionPageDoes, .. LoadRows.Cells(_withSession)],
                    ]),
                new ReportTable("The same pages with every limiter off (`origin` run), where a signed-in shopper can be measured at all",
                    ["page, shopper", "what the request does", .. LoadRows.Columns],
                    [
                        [$"`/`, with a session and a cart ({bench.Options.SessionShoppers} shoppers, rotating)", SessionPageDoes, .. LoadRows.Cells(_withSessionLimiterOff)],
                        [$"`/`, signed in (3 accounts on {bench.Options.SignedInDevices} devices, rotating)", "rendered: ticket from Redis (no session), catalog data from the shared Redis store, badge from the cart's hash in Redis", .. LoadRows.Cells(_signedInLimiterOff)],
                    ]),
                new ReportTable("Where those two pages' time went, from the storefront replicas' own spans (all requests of each run, per page; Redis spans are the client's, from sending a command to its answer)",
                    PageSpans.Columns,
                    [
                        .. _sessionSpans is null ? Array.Empty<string[]>() : [_sessionSpans.Cells("`/`, with a session and a cart, limiter off")],
                        .. _signedInSpans is null ? Array.Empty<string[]>() : [_signedInSpans.Cells("`/`, signed in, limiter off")],
                    ]),
                new ReportTable("State made on one replica, then requests through the proxy with a new connection each (so spread over the replicas)",
                    ["session / ticket store", "check", "requests", "replicas answering", "saw the state", "share"],
                    [.. _visibility.SelectMany(v => new[]
                    {
                        VisibilityRow(v.Key, "anonymous cart on `/cart`", v.Value.Cart),
                        VisibilityRow(v.Key, "still signed in on `/`", v.Value.SignedIn),
                    })]),
            ],
            [
                $"Session vs none: {Format.Percent(sessionVsNone)} of the rate ({Format.Times(sessionVsNone)}). The session page does more than read the session: it renders the page and reads the badge count from the cart in Redis, which is what a session page costs in practice.",
                "The fair pair is the same page and the same HTML: the storefront runs the session middleware only for pages that need it or requests that carry a session cookie, so a cookieless visitor costs no session round trip.",
                "The Aspire proxy picks a replica at random for each new connection, so with per-replica state about one request in three (the replica that made the state) is expected to see it; the exact share varies from run to run.",
                "With `Baseline:InProcessSession` the session, the Data Protection key ring and the sign-in tickets are per replica: another replica cannot even decrypt the cookies, so the shopper is a stranger there.",
            ],
            [
                new ThroughputBar("3 Sessions", "storefront /alive", LoadRows.Rate(_bare)),
                new ThroughputBar("3 Sessions", "home page, no session", LoadRows.Rate(_withoutSession)),
                new ThroughputBar("3 Sessions", "product page, no session", LoadRows.Rate(_product)),
                new ThroughputBar("3 Sessions", "home page, session + cart", LoadRows.Rate(_withSession)),
                new ThroughputBar("3 Sessions", "session + cart, limiter off", LoadRows.Rate(_withSessionLimiterOff)),
                new ThroughputBar("3 Sessions", "signed in, limiter off", LoadRows.Rate(_signedInLimiterOff)),
            ],
            [
                new Comparison("cart visible across replicas", redis?.Cart.Share * 100 ?? double.NaN, local?.Cart.Share * 100 ?? double.NaN, "%"),
                new Comparison("still signed in across replicas", redis?.SignedIn.Share * 100 ?? double.NaN, local?.SignedIn.Share * 100 ?? double.NaN, "%"),
            ]);
    }

    private static string Share(Visits? visits) => visits is null ? "n/a" : Format.Percent(visits.Share);

    private static string[] VisibilityRow(string mode, string check, Visits visits) =>
        [mode, check, Format.Count(visits.Requests), Format.Count(visits.Replicas), Format.Count(visits.Seen), Format.Percent(visits.Share)];

    private const string SessionPageDoes =
        "rendered: session from Redis, catalog data (list, categories) from the shared Redis store (no call to Catalog.Api), badge from the cart's hash in Redis (no call to Cart.Api)";

    /// <summary>
    /// HTTP calls to other services per page, the more of the session and signed-in pages: only the catalog on a miss of
    /// its shared data (the badge reads Redis; it was one call to Cart.Api per page).
    /// </summary>
    public double? HttpCallsPerRenderedPage =>
        _sessionSpans is null || _signedInSpans is null ? null : Math.Max(_sessionSpans.HttpCalls, _signedInSpans.HttpCalls);

    public double SessionVsNone => Format.Ratio(LoadRows.Rate(_withSession), LoadRows.Rate(_withoutSession));

    /// <summary>The cookieless home page (a shared cache hit) against the storefront's own bare endpoint (#12: ≥ 0.15× with the limiter on).</summary>
    public double CookielessHomeVsBare => Format.Ratio(LoadRows.Rate(_withoutSession), LoadRows.Rate(_bare));

    private sealed record Visits(int Requests, int Seen, int Replicas)
    {
        public double Share => Requests == 0 ? double.NaN : (double)Seen / Requests;
    }

    private sealed record Visibility(Visits Cart, Visits SignedIn);
}
