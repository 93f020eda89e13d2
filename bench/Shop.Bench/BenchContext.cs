using System.Diagnostics;
using System.Globalization;
using Shop.Bench.App;
using Shop.Testing;
using Shop.Bench.Load;
using Shop.Bench.Report;

namespace Shop.Bench;

/// <summary>What every scenario shares: the options, the load generator, progress output and the clock.</summary>
public sealed class BenchContext(BenchOptions options, ILoadGenerator load, TextWriter progress)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<string> _runs = [];

    public BenchOptions Options { get; } = options;

    public ILoadGenerator Load { get; } = load;

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The app configurations used, with how long each took to start (for the report).</summary>
    public IReadOnlyList<string> Runs => _runs;

    public void Progress(string message) =>
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed:mm\\:ss}] {message}"));

    public async Task<ShopApp> StartAsync(AppProfile profile, CancellationToken cancellationToken)
    {
        Progress($"Starting Shop ({profile.Name}: {profile.Description})...");
        var started = _clock.Elapsed;
        var app = await ShopApp.StartAsync(profile.Settings,
            () => Progress("Another whole Shop (a test run) is running on this machine; waiting for it to finish..."), cancellationToken);
        var took = _clock.Elapsed - started;
        _runs.Add($"`{profile.Name}`: {profile.Description} (replicas: catalog {app.ReplicaAddresses(ShopResources.Catalog).Count}, "
            + $"cart {app.ReplicaAddresses(ShopResources.Cart).Count}, storefront {app.ReplicaAddresses(ShopResources.Frontend).Count}; healthy after {took.TotalSeconds:0} s)");
        Progress($"  healthy after {took.TotalSeconds:0} s; replicas: " + string.Join(", ",
            ShopResources.Services.Select(r => $"{r} {string.Join(' ', app.ReplicaAddresses(r).Select(u => u.Port))}")));
        return app;
    }

    /// <summary>An unmeasured warm-up run (full mode), then the measured run, with progress on both.</summary>
    public async Task<LoadResult> MeasureAsync(LoadSpec spec, CancellationToken cancellationToken)
    {
        var where = spec.Targets.Count == 1 ? spec.Targets[0].Authority : $"{spec.Targets.Count} replicas";
        await PrimeAsync(spec, cancellationToken);
        var warmup = spec.Warmup ?? Options.Warmup;
        if (warmup > TimeSpan.Zero)
        {
            Progress($"  warm-up   {spec.Name} ({where}, {warmup.TotalSeconds:0} s)");
            await Load.RunAsync(spec with { Duration = warmup }, cancellationToken);
        }
        Progress($"  measuring {spec.Name} ({where}, {spec.Connections} connections, {spec.Duration.TotalSeconds:0} s, {Load.Name})");
        var loadAverage = MachineLoad.OneMinute();
        var result = await Load.RunAsync(spec, cancellationToken) with { LoadAverage = loadAverage };
        Progress($"    {Format.Rate(result.RequestsPerSecond)} req/s, p50 {Format.Ms(result.P50Milliseconds)} ms, "
            + $"p99 {Format.Ms(result.P99Milliseconds)} ms, {Format.Count(result.Requests)} requests, "
            + $"{result.Non2xx} non-2xx, {result.Errors} errors (load average {Format.Number(loadAverage, "0.0")} at start)");
        return result;
    }

    /// <summary>
    /// One request per target before any load, so a cold endpoint (first JIT, first cache fill, first
    /// connection to a dependency) is not what a short run measures.
    /// </summary>
    private static async Task PrimeAsync(LoadSpec spec, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var target in spec.Targets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target, spec.PathAndQuery));
            foreach (var (name, value) in spec.Headers.FirstOrDefault() ?? new Dictionary<string, string>())
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using var response = await client.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A page rendered per shopper: warmed up for <see cref="BenchOptions.RenderedPageWarmup"/>, not the usual warm-up.</summary>
    public LoadSpec RenderedPageSpec(string name, IReadOnlyList<Uri> targets, string path,
        IReadOnlyList<IReadOnlyDictionary<string, string>> headers) =>
        Spec(name, targets, path, headers) with { Warmup = Options.RenderedPageWarmup };

    public LoadSpec Spec(string name, IReadOnlyList<Uri> targets, string path,
        IReadOnlyList<IReadOnlyDictionary<string, string>>? headers = null) =>
        new(name, targets, path, Options.Connections, Options.Duration, headers);
}
