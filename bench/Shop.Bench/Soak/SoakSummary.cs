namespace Shop.Bench.Soak;

/// <summary>
/// What one replica's RSS did after the warm-up. The baseline is the first sample at or after the end of the
/// warm-up; drift is the last sample against it; the slope is a least-squares line through every sample from the
/// baseline on (one late spike moves it less than it moves the last sample). The replica is flagged when any of
/// those samples leaves the baseline by more than the tolerance, up or down.
/// </summary>
public sealed record ReplicaDrift(
    string Replica,
    int Samples,
    double BaselineMegabytes,
    double MinMegabytes,
    double MaxMegabytes,
    double LastMegabytes,
    double DriftPercent,
    double SlopeMegabytesPerMinute,
    double BaselineHeapMegabytes,
    double LastHeapMegabytes,
    double BaselineCommittedMegabytes,
    double LastCommittedMegabytes,
    bool OutsideTolerance);

public static class SoakSummary
{
    /// <summary>One <see cref="ReplicaDrift"/> per replica, in the order the replicas were first sampled.</summary>
    public static IReadOnlyList<ReplicaDrift> Summarize(IReadOnlyList<SoakSample> samples, TimeSpan warmup, double tolerance) =>
        [.. samples.Select(s => s.Replica).Distinct(StringComparer.Ordinal)
            .Select(replica => Drift(replica, [.. samples.Where(s => s.Replica == replica)], warmup, tolerance))];

    public static ReplicaDrift Drift(string replica, IReadOnlyList<SoakSample> samples, TimeSpan warmup, double tolerance)
    {
        var measured = samples.Where(s => s.Elapsed >= warmup && double.IsFinite(s.RssMegabytes)).OrderBy(s => s.Elapsed).ToList();
        if (measured.Count == 0)
        {
            return new ReplicaDrift(replica, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN,
                double.NaN, double.NaN, double.NaN, double.NaN, OutsideTolerance: false);
        }
        var baseline = measured[0];
        var last = measured[^1];
        var min = measured.Min(s => s.RssMegabytes);
        var max = measured.Max(s => s.RssMegabytes);
        return new ReplicaDrift(
            replica,
            measured.Count,
            baseline.RssMegabytes,
            min,
            max,
            last.RssMegabytes,
            DriftPercent: (last.RssMegabytes - baseline.RssMegabytes) / baseline.RssMegabytes * 100,
            SlopeMegabytesPerMinute: Slope(measured.Select(s => (s.Elapsed.TotalMinutes, s.RssMegabytes)).ToList()),
            BaselineHeapMegabytes: baseline.GcHeapMegabytes,
            LastHeapMegabytes: last.GcHeapMegabytes,
            BaselineCommittedMegabytes: baseline.GcCommittedMegabytes,
            LastCommittedMegabytes: last.GcCommittedMegabytes,
            OutsideTolerance: max > baseline.RssMegabytes * (1 + tolerance) || min < baseline.RssMegabytes * (1 - tolerance));
    }

    /// <summary>Least-squares slope of y over x; NaN with fewer than two distinct x.</summary>
    public static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2)
        {
            return double.NaN;
        }
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var spread = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return spread == 0 ? double.NaN : points.Sum(p => (p.X - meanX) * (p.Y - meanY)) / spread;
    }
}
