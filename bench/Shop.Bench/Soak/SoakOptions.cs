using System.Globalization;

namespace Shop.Bench.Soak;

/// <summary>
/// A soak run (<c>--soak 30m</c>): a steady load on the storefront for <see cref="Duration"/>, every replica's memory
/// sampled every <see cref="SampleInterval"/>. It is long by design, so it is never part of the quick run or CI.
/// </summary>
public sealed record SoakOptions
{
    /// <summary>The warm-up the issue asks for before RSS is judged; a shorter soak gets a third of its length.</summary>
    public static readonly TimeSpan FullWarmup = TimeSpan.FromMinutes(5);

    public required TimeSpan Duration { get; init; }

    /// <summary>Given with <c>--soak-warmup</c>; otherwise <see cref="DefaultWarmup"/>.</summary>
    public TimeSpan? WarmupOverride { get; init; }

    /// <summary>Load runs during the warm-up too, but RSS is judged only from its end on (the baseline is the first sample there).</summary>
    public TimeSpan Warmup => WarmupOverride ?? DefaultWarmup(Duration);

    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most requests per second the load sends in total, over every storefront replica (the figure).</summary>
    public double RequestsPerSecond { get; init; } = 600;

    /// <summary>wrk connections in total, shared out between the storefront replicas (the figure).</summary>
    public int Connections { get; init; } = 8;

    /// <summary>A replica whose RSS leaves its post-warm-up baseline by more than this share is flagged.</summary>
    public double Tolerance { get; init; } = 0.10;

    /// <summary>Catalog pages of the browse mix (<c>/</c>, <c>/?page=2</c>, …).</summary>
    public int BrowsePages { get; init; } = 3;

    /// <summary>Product pages of the mix, products picked from the catalog at start.</summary>
    public int ProductPages { get; init; } = 3;

    public static TimeSpan DefaultWarmup(TimeSpan duration) =>
        duration / 3 < FullWarmup ? duration / 3 : FullWarmup;

    /// <summary>Refuses settings that would leave nothing to judge: the warm-up must end, with at least two samples after it.</summary>
    public SoakOptions Validated()
    {
        if (Warmup < TimeSpan.Zero || Warmup >= Duration)
        {
            throw new ArgumentException($"--soak-warmup ({DurationText.Describe(Warmup)}) must be shorter than --soak ({DurationText.Describe(Duration)}).");
        }
        if (SampleInterval < TimeSpan.FromSeconds(1) || SampleInterval * 2 > Duration - Warmup)
        {
            throw new ArgumentException($"--soak-interval ({DurationText.Describe(SampleInterval)}) must be at least 1 s and leave two samples after the warm-up.");
        }
        if (RequestsPerSecond <= 0 || Connections <= 0 || Tolerance <= 0 || BrowsePages <= 0 || ProductPages < 0)
        {
            throw new ArgumentException("--soak-rate, --soak-connections and --soak-tolerance must be above zero.");
        }
        return this;
    }

    public static double ParseRate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? rate
            : throw new ArgumentException($"--soak-rate takes requests per second above zero, not '{text}'.");
}
