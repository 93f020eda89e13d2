namespace Shop.Bench.Report;

/// <summary>A table of the report: a caption, column headers and rows of already-formatted cells.</summary>
public sealed record ReportTable(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows);

/// <summary>One bar of the chart's throughput panel.</summary>
public sealed record ThroughputBar(string Group, string Label, double RequestsPerSecond);

/// <summary>One row of the chart's "Redis vs per-replica" panel: the same measure with the shared layer and without.</summary>
public sealed record Comparison(string Label, double Redis, double PerReplica, string Unit);

/// <summary>What one scenario found: its tables, a one-line summary (for the README) and notes on method.</summary>
public sealed record ScenarioReport(
    int Number,
    string Title,
    string Summary,
    IReadOnlyList<ReportTable> Tables,
    IReadOnlyList<string> Notes,
    IReadOnlyList<ThroughputBar> Bars,
    IReadOnlyList<Comparison> Comparisons);

/// <summary>Where and how the numbers were taken.</summary>
public sealed record MachineInfo(
    int Cores, string Cpu, string OperatingSystem, string Runtime, DateTimeOffset StartedAt, string LoadAverageBefore,
    string LoadAverageAfter, TimeSpan TotalTime);

/// <summary>A headline ratio (the closing note copies these).</summary>
public sealed record Ratio(string Name, double Value, string Explanation);

/// <summary>
/// The figures that are correctness, not speed: with Redis a limit of L grants exactly L across the replicas and a
/// price change leaves no stale read, and load alone never trips a replica's Redis stall breaker
/// (<see cref="StallBreakerTrips"/>: Redis never stalls in a run, so any trip is spurious, and a tripped replica
/// takes every Redis touchpoint's degraded path), and a page rendered per shopper calls another service only when the
/// catalog's shared data was evicted (<see cref="HttpCallsPerRenderedPage"/>, from the storefront's spans; the badge
/// was one call to Cart.Api on every page). The quick run's test checks them; it checks no timing.
/// </summary>
public sealed record Correctness(int Limit, long? GrantedWithRedis, long? GrantedPerReplica, int? StaleReadsWithRedis, int? ReadsAfterChange,
    int StallBreakerTrips, double? HttpCallsPerRenderedPage);

public sealed record BenchReport(
    MachineInfo Machine,
    BenchOptions Options,
    string LoadGenerator,
    IReadOnlyList<string> Runs,
    IReadOnlyList<ScenarioReport> Scenarios,
    IReadOnlyList<Ratio> Ratios,
    Correctness Correctness);
