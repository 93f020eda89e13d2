using System.Diagnostics;

namespace Shop.Bench.Load;

/// <summary>
/// The fallback when wrk is not installed: a fixed number of connections (one worker loop each, workers
/// assigned to targets round robin), each sending the next request as soon as the last one's body is read,
/// until the duration is up. Latencies go into a <see cref="LatencyHistogram"/> per worker. It measures
/// the same thing as wrk, with more client overhead, so its figures are lower on a small machine.
/// </summary>
public sealed class HttpClientLoadGenerator : ILoadGenerator
{
    public string Name => "HttpClient";

    public async Task<LoadResult> RunAsync(LoadSpec spec, CancellationToken cancellationToken)
    {
        if (spec.Paths.Count > 0 || spec.TargetRequestsPerSecond > 0)
        {
            throw new NotSupportedException("Path rotation and a target rate need wrk (--load-generator wrk).");
        }
        var clients = spec.Targets.Select(target => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, spec.Connections / spec.Targets.Count + 1),
            UseCookies = false,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = target,
            Timeout = TimeSpan.FromSeconds(10),
        }).ToList();
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var deadline = stopwatch.Elapsed + spec.Duration;
            var next = -1;
            var workers = Enumerable.Range(0, spec.Connections)
                .Select(i => Task.Run(() => WorkerAsync(clients[i % clients.Count], spec, stopwatch, deadline,
                    () => Interlocked.Increment(ref next), cancellationToken), cancellationToken))
                .ToList();
            var results = await Task.WhenAll(workers);
            var elapsed = stopwatch.Elapsed;

            var histogram = new LatencyHistogram();
            foreach (var result in results)
            {
                histogram.Add(result.Histogram);
            }
            return new LoadResult(spec.Name, Name,
                Requests: histogram.Count,
                Non2xx: results.Sum(r => r.Non2xx),
                Errors: results.Sum(r => r.Errors),
                Elapsed: elapsed,
                RequestsPerSecond: histogram.Count / elapsed.TotalSeconds,
                P50Milliseconds: histogram.Percentile(50) / 1000,
                P99Milliseconds: histogram.Percentile(99) / 1000);
        }
        finally
        {
            clients.ForEach(client => client.Dispose());
        }
    }

    private static async Task<WorkerResult> WorkerAsync(
        HttpClient client, LoadSpec spec, Stopwatch clock, TimeSpan deadline, Func<int> nextIndex, CancellationToken cancellationToken)
    {
        var result = new WorkerResult(new LatencyHistogram());
        while (clock.Elapsed < deadline && !cancellationToken.IsCancellationRequested)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, spec.PathAndQuery);
            if (spec.Headers.Count > 0)
            {
                foreach (var (name, value) in spec.Headers[(nextIndex() & int.MaxValue) % spec.Headers.Count])
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }
            var started = clock.ElapsedTicks;
            try
            {
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
                result.Histogram.Record((clock.ElapsedTicks - started) * 1_000_000 / Stopwatch.Frequency);
                if ((int)response.StatusCode >= 400)
                {
                    result.Non2xx++;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                result.Errors++;
            }
        }
        return result;
    }

    private sealed class WorkerResult(LatencyHistogram histogram)
    {
        public LatencyHistogram Histogram { get; } = histogram;
        public long Non2xx { get; set; }
        public long Errors { get; set; }
    }
}
