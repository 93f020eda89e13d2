using Shop.Bench.Soak;

namespace Shop.Bench.Tests.Soak;

public sealed class SoakSummaryTests
{
    private static readonly TimeSpan Warmup = TimeSpan.FromMinutes(2);

    /// <summary>One sample a minute from minute 0, the RSS given per minute.</summary>
    private static List<SoakSample> Minutes(string replica, params double[] rss) =>
        [.. rss.Select((mb, minute) => new SoakSample(TimeSpan.FromMinutes(minute), replica, mb, mb / 4, mb / 2))];

    [Fact]
    public void DriftIsTheLastSampleAgainstTheFirstOneAfterTheWarmUp()
    {
        // Minutes 0 and 1 are the warm-up: the rise from 100 to 200 there is the replica settling.
        var drift = SoakSummary.Drift("web-frontend-1", Minutes("web-frontend-1", 100, 150, 200, 204, 198, 210), Warmup, 0.10);

        Assert.Equal(4, drift.Samples);
        Assert.Equal(200, drift.BaselineMegabytes);
        Assert.Equal(198, drift.MinMegabytes);
        Assert.Equal(210, drift.MaxMegabytes);
        Assert.Equal(210, drift.LastMegabytes);
        Assert.Equal(5.0, drift.DriftPercent, precision: 9);
        Assert.Equal(50, drift.BaselineHeapMegabytes);
        Assert.Equal(52.5, drift.LastHeapMegabytes);
        Assert.Equal(100, drift.BaselineCommittedMegabytes);
        Assert.Equal(105, drift.LastCommittedMegabytes);
        Assert.False(drift.OutsideTolerance);
    }

    [Fact]
    public void TheSlopeIsTheLeastSquaresLineInMegabytesPerMinute()
    {
        var drift = SoakSummary.Drift("catalog-api/a", Minutes("catalog-api/a", 90, 95, 100, 102.5, 105, 107.5, 110), Warmup, 0.10);

        Assert.Equal(2.5, drift.SlopeMegabytesPerMinute, precision: 9);
        Assert.Equal(10.0, drift.DriftPercent, precision: 9);
    }

    [Fact]
    public void OneLateSpikeMovesTheSlopeLessThanTheEndPoints()
    {
        var slope = SoakSummary.Slope([(0, 100), (1, 100), (2, 100), (3, 100), (4, 120)]);

        Assert.Equal(4.0, slope, precision: 9);
        Assert.True(slope < (120 - 100) / 4.0);
    }

    [Fact]
    public void TheSlopeOfFewerThanTwoPointsIsUnknown()
    {
        Assert.True(double.IsNaN(SoakSummary.Slope([(1, 100)])));
        Assert.True(double.IsNaN(SoakSummary.Slope([(1, 100), (1, 120)])));
    }

    [Fact]
    public void AReplicaThatRisesMoreThanTenPercentAfterTheWarmUpIsFlaggedEvenIfItComesBack()
    {
        var drift = SoakSummary.Drift("cart-api/b", Minutes("cart-api/b", 80, 90, 100, 111, 104), Warmup, 0.10);

        Assert.True(drift.OutsideTolerance);
        Assert.Equal(4.0, drift.DriftPercent, precision: 9);
    }

    [Fact]
    public void AReplicaThatFallsMoreThanTenPercentAfterTheWarmUpIsFlagged() =>
        Assert.True(SoakSummary.Drift("r", Minutes("r", 100, 100, 100, 95, 89), Warmup, 0.10).OutsideTolerance);

    [Fact]
    public void AReplicaThatMovesExactlyTenPercentStaysWithinTheBand()
    {
        Assert.False(SoakSummary.Drift("r", Minutes("r", 50, 50, 100, 110, 90), Warmup, 0.10).OutsideTolerance);
        Assert.True(SoakSummary.Drift("r", Minutes("r", 50, 50, 100, 110, 90), Warmup, 0.05).OutsideTolerance);
    }

    [Fact]
    public void AnyGrowthDuringTheWarmUpIsNotCounted() =>
        Assert.False(SoakSummary.Drift("r", Minutes("r", 50, 150, 200, 201, 202), Warmup, 0.10).OutsideTolerance);

    [Fact]
    public void EachReplicaIsSummarizedOnItsOwnInTheOrderItWasFirstSampled()
    {
        var samples = Minutes("web-frontend-2", 100, 100, 100, 130)
            .Zip(Minutes("catalog-api/a", 100, 100, 100, 101))
            .SelectMany(pair => new[] { pair.First, pair.Second })
            .ToList();

        var drifts = SoakSummary.Summarize(samples, Warmup, 0.10);

        Assert.Equal(["web-frontend-2", "catalog-api/a"], drifts.Select(d => d.Replica));
        Assert.True(drifts[0].OutsideTolerance);
        Assert.Equal(30.0, drifts[0].DriftPercent, precision: 9);
        Assert.False(drifts[1].OutsideTolerance);
        Assert.Equal(1.0, drifts[1].DriftPercent, precision: 9);
    }

    [Fact]
    public void AReplicaWithoutASampleAfterTheWarmUpHasNoFiguresAndIsNotFlagged()
    {
        var drift = SoakSummary.Drift("r", Minutes("r", 100, 300), Warmup, 0.10);

        Assert.Equal(0, drift.Samples);
        Assert.True(double.IsNaN(drift.BaselineMegabytes));
        Assert.False(drift.OutsideTolerance);
    }

    [Fact]
    public void ASampleOfAReplicaThatWasGoneIsLeftOutOfItsFigures()
    {
        var samples = Minutes("r", 100, 100, 100, 104);
        samples.Add(new SoakSample(TimeSpan.FromMinutes(4), "r", double.NaN, double.NaN, double.NaN));

        var drift = SoakSummary.Drift("r", samples, Warmup, 0.10);

        Assert.Equal(2, drift.Samples);
        Assert.Equal(104, drift.LastMegabytes);
    }
}
