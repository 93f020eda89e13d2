namespace Shop.Bench.Load;

/// <summary>
/// One bounded, closed-loop load run: <see cref="Connections"/> connections spread over <see cref="Targets"/>
/// (replica base addresses, loopback only), each sending GET <see cref="PathAndQuery"/> back to back for
/// <see cref="Duration"/>. When <see cref="HeaderSets"/> is given, consecutive requests rotate through them
/// (many shoppers or client addresses instead of one).
/// </summary>
public sealed record LoadSpec(
    string Name,
    IReadOnlyList<Uri> Targets,
    string PathAndQuery,
    int Connections,
    TimeSpan Duration,
    IReadOnlyList<IReadOnlyDictionary<string, string>>? HeaderSets = null)
{
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Headers => HeaderSets ?? [];

    /// <summary>
    /// When given, consecutive requests rotate through these paths instead of all going to <see cref="PathAndQuery"/>
    /// (a mix of pages, as the soak sends). Only the wrk generator supports it.
    /// </summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>
    /// When above zero, an upper bound on the total rate: each connection waits so that the connections together
    /// send at most this many requests per second (a steady load rather than as fast as possible). Only the wrk
    /// generator supports it.
    /// </summary>
    public double TargetRequestsPerSecond { get; init; }

    /// <summary>When given, the unmeasured run before this one instead of the bench's <c>Warmup</c>.</summary>
    public TimeSpan? Warmup { get; init; }
}

/// <summary>
/// What a load run measured. Latencies are in milliseconds; with several targets under wrk they are the
/// highest of the per-target figures (wrk cannot merge histograms across processes), with the built-in
/// generator they come from one histogram of every request.
/// </summary>
public sealed record LoadResult(
    string Name,
    string Tool,
    long Requests,
    long Non2xx,
    long Errors,
    TimeSpan Elapsed,
    double RequestsPerSecond,
    double P50Milliseconds,
    double P99Milliseconds)
{
    /// <summary>The machine's 1-minute load average when the measured run started (NaN where unknown).</summary>
    public double LoadAverage { get; init; } = double.NaN;
}

public interface ILoadGenerator
{
    string Name { get; }

    Task<LoadResult> RunAsync(LoadSpec spec, CancellationToken cancellationToken);
}
