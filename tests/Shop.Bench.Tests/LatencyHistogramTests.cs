using Shop.Bench.Load;

namespace Shop.Bench.Tests;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void PercentilesOfAUniformSpreadAreWithinTwoPercent()
    {
        var histogram = new LatencyHistogram();
        for (var microseconds = 1; microseconds <= 100_000; microseconds++)
        {
            histogram.Record(microseconds);
        }

        Assert.Equal(100_000, histogram.Count);
        Assert.InRange(histogram.Percentile(50), 49_000, 51_000);
        Assert.InRange(histogram.Percentile(99), 97_000, 101_000);
        Assert.InRange(histogram.Percentile(100), 98_000, 102_000);
    }

    [Fact]
    public void SmallValuesAreExact()
    {
        var histogram = new LatencyHistogram();
        foreach (var value in new[] { 3, 5, 5, 7, 90 })
        {
            histogram.Record(value);
        }

        Assert.Equal(5, histogram.Percentile(50));
        Assert.Equal(90, histogram.Percentile(99));
    }

    [Fact]
    public void MergedHistogramsGiveThePercentilesOfAllValues()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            fast.Record(100);
        }
        slow.Record(50_000);

        fast.Add(slow);

        Assert.Equal(100, fast.Count);
        Assert.Equal(100, fast.Percentile(50));
        Assert.Equal(100, fast.Percentile(99));
        Assert.InRange(fast.Percentile(100), 49_000, 51_000);
    }

    [Fact]
    public void AnEmptyHistogramReportsZero() => Assert.Equal(0, new LatencyHistogram().Percentile(99));
}
