using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Shop.Bench.App;
using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Bench.Scenarios;
using Shop.Testing;

namespace Shop.Bench.Soak;

/// <summary>
/// The soak (<c>--soak 30m</c>): one start of Shop with the limiter off, wrk sending a steady, capped rate over a mix of
/// browse and product pages to every storefront replica for the whole duration, and every replica of every service
/// sampled meanwhile (RSS and GC heap). Writes <c>soak.md</c> and <c>soak.csv</c> and prints the summary.
/// </summary>
public static class SoakRunner
{
    public const string MarkdownFile = "soak.md";
    public const string CsvFile = "soak.csv";

    public static async Task<SoakResult> RunAsync(BenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        var soak = options.Soak ?? throw new ArgumentException("Not a soak run (no --soak).", nameof(options));
        if (options.LoadGenerator == LoadGeneratorChoice.HttpClient || !WrkLoadGenerator.IsInstalled())
        {
            throw new InvalidOperationException("The soak needs wrk on the PATH: only wrk keeps a capped rate over a mix of pages.");
        }
        var bench = new BenchContext(options, new WrkLoadGenerator(), progress);
        var startedAt = DateTimeOffset.UtcNow;
        var loadBefore = MachineLoad.Triple();
        bench.Progress(Invariant($"Shop soak: {DurationText.Describe(soak.Duration)} (warm-up {DurationText.Describe(soak.Warmup)}), ")
            + Invariant($"at most {soak.RequestsPerSecond:0} req/s over {soak.Connections} connections, a sample every {DurationText.Describe(soak.SampleInterval)}; ")
            + Invariant($"{Environment.ProcessorCount} cores, load average {loadBefore}"));

        await using var app = await bench.StartAsync(AppProfile.Soak(), cancellationToken);
        var replicas = await ReplicaProcess.FindAsync(app, cancellationToken);
        bench.Progress("  processes: " + string.Join(", ", replicas.Select(r => $"{r.Name} {r.Pid}")));
        var storefront = app.ReplicaAddresses(ShopResources.Frontend);
        var paths = await PathsAsync(app, soak);
        var spec = new LoadSpec("soak", storefront, paths[0], soak.Connections, soak.Duration,
            [TestSecrets.AsGatewayFor(LoadRows.ClientAddress(block: 8, index: 0))])
        {
            Paths = paths,
            TargetRequestsPerSecond = soak.RequestsPerSecond,
        };
        await PrimeAsync(storefront, paths, spec.Headers[0], cancellationToken);

        var (load, samples, notes) = await LoadAndSampleAsync(bench, spec, replicas, soak, cancellationToken);
        var drifts = SoakSummary.Summarize(samples, soak.Warmup, soak.Tolerance);
        var result = new SoakResult(soak,
            new MachineInfo(Environment.ProcessorCount, BenchRunner.CpuModel(), RuntimeInformation.OSDescription,
                RuntimeInformation.FrameworkDescription, startedAt, loadBefore, MachineLoad.Triple(), bench.Elapsed),
            options.Note, replicas, paths, storefront.Count, load, samples, drifts, notes);

        Directory.CreateDirectory(options.OutputDirectory);
        var markdown = Path.Combine(options.OutputDirectory, MarkdownFile);
        var csv = Path.Combine(options.OutputDirectory, CsvFile);
        await File.WriteAllTextAsync(markdown, SoakReport.Render(result), cancellationToken);
        await File.WriteAllTextAsync(csv, SoakReport.RenderCsv(result), cancellationToken);
        PrintSummary(bench, result);
        bench.Progress($"Wrote {markdown} and {csv}.");
        return result;
    }

    private static async Task<(LoadResult, IReadOnlyList<SoakSample>, IReadOnlyList<string>)> LoadAndSampleAsync(
        BenchContext bench, LoadSpec spec, IReadOnlyList<ReplicaProcess> replicas, SoakOptions soak, CancellationToken cancellationToken)
    {
        var samples = new List<SoakSample>();
        var counters = replicas.ToDictionary(r => r.Name, r => RuntimeCounters.Start(r.Pid, soak.SampleInterval), StringComparer.Ordinal);
        try
        {
            bench.Progress(Invariant($"  load on {spec.Targets.Count} storefront replicas over {spec.Paths.Count} pages; {bench.Load.Name} waits ")
                + Invariant($"{WrkLoadGenerator.DelayMilliseconds(spec)} ms per connection between requests"));
            var clock = Stopwatch.StartNew();
            var loading = bench.Load.RunAsync(spec, cancellationToken);
            using var timer = new PeriodicTimer(soak.SampleInterval);
            while (true)
            {
                var round = Sample(clock.Elapsed, replicas, counters);
                samples.AddRange(round);
                bench.Progress(Invariant($"  {clock.Elapsed.TotalMinutes,4:0.0} min {(clock.Elapsed < soak.Warmup ? "warm-up " : "measured")} ")
                    + string.Join("  ", round.Select(s => Invariant($"{s.Replica} {s.RssMegabytes:0}/{s.GcHeapMegabytes:0}"))));
                if (loading.IsCompleted)
                {
                    break;
                }
                // The last round is taken the moment the load ends, so the final figures are those under load.
                await Task.WhenAny(timer.WaitForNextTickAsync(cancellationToken).AsTask(), loading);
                // WhenAny does not throw: without this, Ctrl+C would leave the loop sampling without pause.
                cancellationToken.ThrowIfCancellationRequested();
            }
            var load = await loading;
            bench.Progress($"  served {Format.Count(load.Requests)} requests, {Format.Rate(load.RequestsPerSecond)} req/s, p50 {Format.Ms(load.P50Milliseconds)} ms, "
                + $"p99 {Format.Ms(load.P99Milliseconds)} ms, {Format.Count(load.Non2xx)} non-2xx, {Format.Count(load.Errors)} errors");
            var notes = counters.Where(c => c.Value.Failure is not null)
                .Select(c => $"GC heap of {c.Key} not read: {c.Value.Failure}")
                .ToList();
            return (load, samples, notes);
        }
        finally
        {
            foreach (var counter in counters.Values)
            {
                counter.Dispose();
            }
        }
    }

    private static List<SoakSample> Sample(TimeSpan elapsed, IReadOnlyList<ReplicaProcess> replicas, Dictionary<string, RuntimeCounters> counters) =>
        [.. replicas.Select(r => new SoakSample(elapsed, r.Name, r.ResidentMegabytes(),
            counters[r.Name].HeapMegabytes, counters[r.Name].CommittedMegabytes))];

    /// <summary>The browse mix: the first catalog pages, then product pages of products picked from the catalog.</summary>
    private static async Task<IReadOnlyList<string>> PathsAsync(ShopApp app, SoakOptions soak)
    {
        var browse = Enumerable.Range(1, soak.BrowsePages).Select(page => page == 1 ? "/" : Invariant($"/?page={page}"));
        var products = soak.ProductPages == 0 ? [] : await app.InStockProductsAsync(soak.ProductPages, minStock: 0);
        return [.. browse, .. products.Select(id => Invariant($"/products/{id}"))];
    }

    /// <summary>Every page once on every replica before the clock starts, so the first minute is not cache fills.</summary>
    private static async Task PrimeAsync(IReadOnlyList<Uri> replicas, IReadOnlyList<string> paths,
        IReadOnlyDictionary<string, string> headers, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = ShopApp.RequestTimeout };
        foreach (var replica in replicas)
        {
            foreach (var path in paths)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(replica, path));
                foreach (var (name, value) in headers)
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
                using var response = await client.SendAsync(request, cancellationToken);
                response.EnsureSuccessStatusCode();
            }
        }
    }

    private static void PrintSummary(BenchContext bench, SoakResult result)
    {
        var band = Invariant($"±{result.Options.Tolerance * 100:0} %");
        bench.Progress($"RSS after the {DurationText.Describe(result.Options.Warmup)} warm-up (baseline → last, min–max, drift, least-squares slope; GC heap and GC committed baseline → last):");
        foreach (var d in result.Drifts)
        {
            bench.Progress(Invariant($"  {d.Replica,-22} {d.BaselineMegabytes,6:0.0} → {d.LastMegabytes,6:0.0} MB ({d.MinMegabytes:0.0}–{d.MaxMegabytes:0.0}), ")
                + Invariant($"{d.DriftPercent:+0.0;-0.0;0.0} %, {d.SlopeMegabytesPerMinute:+0.00;-0.00;0.00} MB/min; heap {d.BaselineHeapMegabytes:0.0} → {d.LastHeapMegabytes:0.0} MB, GC committed {d.BaselineCommittedMegabytes:0.0} → {d.LastCommittedMegabytes:0.0} MB; ")
                + (d.OutsideTolerance ? $"MOVED BEYOND {band}" : $"within {band}"));
        }
        foreach (var note in result.Notes)
        {
            bench.Progress($"  note: {note}");
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
