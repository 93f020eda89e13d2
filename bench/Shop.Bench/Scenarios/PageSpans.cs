using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Shop.Bench.Report;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Where a rendered page's time went during one load run, from the storefront replicas' own spans
/// (<see cref="SpanTimes"/>, on in the <c>origin</c> profile): read before the run and again after it, summed over the
/// replicas and divided by the requests served in between.
/// </summary>
public sealed record PageSpans(long Requests, double PageMs, double RedisCommands, double RedisMs, double HttpCalls, double HttpMs)
{
    // Redis spans are made from the client's profiler some seconds after the command (every 10 s by default).
    private static readonly TimeSpan RedisSpansLag = TimeSpan.FromSeconds(11);

    /// <summary>Time inside no span: the pipeline, the page's own code and rendering, and waiting for a thread.</summary>
    public double OutsideMs => PageMs - RedisMs - HttpMs;

    public static async Task<IReadOnlyList<SpanTimesReading>> ReadAsync(IReadOnlyList<Uri> replicas, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var readings = new List<SpanTimesReading>();
        foreach (var replica in replicas)
        {
            readings.Add(await client.GetFromJsonAsync<SpanTimesReading>(new Uri(replica, SpanTimes.Path), cancellationToken)
                ?? throw new InvalidOperationException($"{replica} gave no span times."));
        }
        return readings;
    }

    /// <summary>Waits for the run's Redis spans, reads again, and gives the run's per-page figures.</summary>
    public static async Task<PageSpans> SinceAsync(IReadOnlyList<SpanTimesReading> before, IReadOnlyList<Uri> replicas, CancellationToken cancellationToken)
    {
        await Task.Delay(RedisSpansLag, cancellationToken);
        var after = await ReadAsync(replicas, cancellationToken);
        var requests = after.Zip(before, (a, b) => a.Requests - b.Requests).Sum();
        double PerPage(Func<SpanTimesReading, double> value) =>
            requests == 0 ? double.NaN : after.Zip(before, (a, b) => value(a) - value(b)).Sum() / requests;
        return new PageSpans(requests, PerPage(r => r.RequestMilliseconds), PerPage(r => r.RedisCommands), PerPage(r => r.RedisMilliseconds),
            PerPage(r => r.HttpCalls), PerPage(r => r.HttpMilliseconds));
    }

    public static readonly string[] Columns =
        ["page", "requests", "time per page", "inside Redis spans (commands)", "inside HTTP spans (calls)", "inside no span"];

    public string[] Cells(string page) =>
    [
        page, Format.Count(Requests), $"{Format.Ms(PageMs)} ms",
        $"{Format.Ms(RedisMs)} ms ({Format.Number(RedisCommands, "0.0")})",
        $"{Format.Ms(HttpMs)} ms ({Format.Number(HttpCalls, "0.0")})",
        $"{Format.Ms(OutsideMs)} ms ({Format.Percent(OutsideMs / PageMs)})",
    ];
}
