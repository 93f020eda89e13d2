using Shop.Testing;
using System.Runtime.InteropServices;
using Shop.Bench.App;
using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Bench.Scenarios;

namespace Shop.Bench;

/// <summary>
/// Runs the six scenarios over three configurations of the app (each a fresh start), in the order that
/// needs the fewest starts: Shop as designed, then the origin/limiter-off baseline, then all state per
/// replica. Writes the Markdown report and the SVG chart.
/// </summary>
public static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        // One whole Shop at a time on this machine: wait for a running test app, and keep tests out for the whole run.
        using var gate = await WholeAppGate.EnterAsync(TimeSpan.FromMinutes(30),
            () => progress.WriteLine("Another whole Shop (a test run) is running on this machine; waiting for it to finish..."),
            cancellationToken);
        var load = ChooseLoadGenerator(options.LoadGenerator);
        var bench = new BenchContext(options, load, progress);
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineLoad.Triple();
        bench.Progress($"Shop benchmark ({(options.Quick ? "quick" : "full")} run) on {Environment.ProcessorCount} cores, load average {loadBefore}, load generator {load.Name}");

        var outputCache = new OutputCacheScenario(bench);
        var rateLimiter = new RateLimiterScenario(bench);
        var sessions = new SessionScenario(bench);
        var fragmentation = new CacheFragmentationScenario(bench);
        var commands = new RedisCommandsScenario(bench);
        var gateway = new GatewayScenario(bench);

        int stallBreakerTrips;
        await using (var app = await bench.StartAsync(AppProfile.Shared(options), cancellationToken))
        {
            await outputCache.MeasureSharedAsync(app, cancellationToken);
            await rateLimiter.MeasureSharedAsync(app, cancellationToken);
            await sessions.MeasureSharedAsync(app, cancellationToken);
            await fragmentation.MeasureAsync(app, "Redis (shared)", cancellationToken);
            await commands.MeasureAsync(app, cancellationToken);
            stallBreakerTrips = await app.StallBreakerTripsAsync();
            bench.Progress($"Redis stall-breaker trips under the load: {stallBreakerTrips}");
        }
        await using (var app = await bench.StartAsync(AppProfile.Origin(options), cancellationToken))
        {
            await outputCache.MeasureOriginAsync(app, cancellationToken);
            await rateLimiter.MeasureOffAsync(app, cancellationToken);
            await sessions.MeasureLimiterOffAsync(app, cancellationToken);
            await gateway.MeasureAsync(app, cancellationToken);
        }
        await using (var app = await bench.StartAsync(AppProfile.PerReplica(options), cancellationToken))
        {
            await rateLimiter.MeasurePerReplicaAsync(app, cancellationToken);
            await sessions.MeasurePerReplicaAsync(app, cancellationToken);
            await fragmentation.MeasureAsync(app, "in memory per replica (`Baseline:InMemoryOutputCache`)", cancellationToken);
        }

        var report = new BenchReport(
            new MachineInfo(Environment.ProcessorCount, CpuModel(), RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription, startedAt, loadBefore, MachineLoad.Triple(), bench.Elapsed),
            options,
            load is WrkLoadGenerator ? "wrk 4 (one process per replica, 1 thread each)" : "built-in HttpClient loop (wrk not installed)",
            bench.Runs,
            [outputCache.Report(), rateLimiter.Report(), sessions.Report(), fragmentation.Report(), commands.Report(), gateway.Report()],
            [
                new Ratio("cache hit vs bare endpoint", outputCache.CachedVsHello, "req/s of the Redis-cached list page / req/s of `hello` (same replicas)"),
                new Ratio("cached vs origin", outputCache.CachedVsOrigin, "req/s of the Redis-cached list page / req/s with `Baseline:OutputCacheOff`"),
                new Ratio("limiter on vs off", rateLimiter.OnVsOff, "req/s with the Redis limiter / req/s with `RateLimiting:Enabled=false`"),
                new Ratio("session vs none", sessions.SessionVsNone, "req/s of the home page with a session / without"),
                new Ratio("cookieless home vs storefront bare", sessions.CookielessHomeVsBare,
                    "req/s of the cookieless home page (shared cache hit, limiter on) / req/s of the storefront's `/alive` (same replicas)"),
                new Ratio("gateway vs direct", gateway.GatewayVsDirect,
                    "req/s of the cookieless home page through the gateway / straight to the storefront replicas (limiters off)"),
                new Ratio("granted permits, memory vs Redis", rateLimiter.GrantedInMemoryVsRedis,
                    $"permits granted for L = {options.BrowseLimit}: per-replica limiter ({rateLimiter.GrantedInMemory}) / Redis ({rateLimiter.GrantedRedis})"),
            ],
            new Correctness(options.BrowseLimit, rateLimiter.GrantedRedis, rateLimiter.GrantedInMemory,
                fragmentation.StaleReadsShared, fragmentation.ReadsAfterChangeShared, stallBreakerTrips, sessions.HttpCallsPerRenderedPage));

        Directory.CreateDirectory(options.OutputDirectory);
        var kept = File.Exists(options.MarkdownPath) ? MarkdownReport.KeptPart(await File.ReadAllTextAsync(options.MarkdownPath, cancellationToken)) : "";
        await File.WriteAllTextAsync(options.MarkdownPath, MarkdownReport.Render(report) + kept, cancellationToken);
        await File.WriteAllTextAsync(options.SvgPath, SvgChart.Render(report), cancellationToken);
        bench.Progress($"Wrote {options.MarkdownPath} and {options.SvgPath} in {bench.Elapsed.TotalMinutes:0.0} min.");
        return report;
    }

    private static ILoadGenerator ChooseLoadGenerator(LoadGeneratorChoice choice) => choice switch
    {
        LoadGeneratorChoice.Wrk => new WrkLoadGenerator(),
        LoadGeneratorChoice.HttpClient => new HttpClientLoadGenerator(),
        _ => WrkLoadGenerator.IsInstalled() ? new WrkLoadGenerator() : new HttpClientLoadGenerator(),
    };

    internal static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString()
            : RuntimeInformation.ProcessArchitecture.ToString();
}
