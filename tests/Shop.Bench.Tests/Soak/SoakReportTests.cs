using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Bench.Soak;

namespace Shop.Bench.Tests.Soak;

public sealed class SoakReportTests
{
    [Fact]
    public void ALongRunShowsAboutFortyRowsWithTheFirstTheBaselineAndTheLast()
    {
        var rows = SoakReport.SeriesRows(count: 181, max: 40, baseline: 31);

        Assert.InRange(rows.Count, 30, 42);
        Assert.Contains(0, rows);
        Assert.Contains(31, rows);
        Assert.Contains(180, rows);
        Assert.Equal(rows.Order(), rows);
    }

    [Fact]
    public void AShortRunShowsEveryRow() =>
        Assert.Equal([0, 1, 2, 3], SoakReport.SeriesRows(count: 4, max: 40, baseline: 2));

    [Fact]
    public void TheReportFlagsAReplicaThatLeftTheBandAndTheCsvHasEverySample()
    {
        var options = new SoakOptions { Duration = TimeSpan.FromMinutes(4), WarmupOverride = TimeSpan.FromMinutes(2) };
        List<SoakSample> samples = [];
        for (var minute = 0; minute <= 4; minute++)
        {
            samples.Add(new SoakSample(TimeSpan.FromMinutes(minute), "web-frontend-1", 100 + (minute >= 3 ? 20 : 0), 40, 60));
            samples.Add(new SoakSample(TimeSpan.FromMinutes(minute), "catalog-api/a", 120, double.NaN, double.NaN));
        }
        var drifts = SoakSummary.Summarize(samples, options.Warmup, options.Tolerance);
        var result = new SoakResult(options,
            new MachineInfo(2, "cpu", "Linux", ".NET 10", DateTimeOffset.UnixEpoch, "0.5 0.5 0.5", "1.0 1.0 1.0", TimeSpan.FromMinutes(5)),
            "a test", [new ReplicaProcess("web-frontend", "web-frontend-1", 10, 11), new ReplicaProcess("catalog-api", "catalog-api/a", 20, 21)],
            ["/", "/products/1"], 3, new LoadResult("soak", "wrk", 1000, 0, 0, TimeSpan.FromMinutes(4), 4.2, 1, 5), samples, drifts,
            ["GC heap of catalog-api/a not read: test"]);

        var markdown = SoakReport.Render(result);
        var csv = SoakReport.RenderCsv(result).TrimEnd('\n').Split('\n');

        Assert.Contains("| web-frontend-1 | 3 | 100.0 | 100.0 | 120.0 | 120.0 | +20.0 % |", markdown);
        Assert.Contains("**no: moved beyond the band**", markdown);
        Assert.Contains("| catalog-api/a | 3 | 120.0 | 120.0 | 120.0 | 120.0 | 0.0 % | 0.0 | n/a → n/a | n/a → n/a | yes |", markdown);
        Assert.Contains("| web-frontend-1 | 3 | 100.0 | 100.0 | 120.0 | 120.0 | +20.0 % | +10.0 | 40.0 → 40.0 | 60.0 → 60.0 | **no", markdown);
        Assert.Contains("-- --soak 4m --soak-warmup 2m`", markdown);
        Assert.Contains("GC heap of catalog-api/a not read", markdown);
        Assert.Equal(1 + samples.Count, csv.Length);
        Assert.Equal("60,warm-up,web-frontend-1,11,100.0,40.0,60.0", csv[3]);
        Assert.Equal("240,measured,catalog-api/a,21,120.0,n/a,n/a", csv[^1]);
    }
}
