using Shop.Bench.Report;

namespace Shop.Bench.Tests;

public sealed class MarkdownReportTests
{
    [Fact]
    public void APartWrittenByHandAfterTheMarkerIsKeptWhenARunRewritesTheReport()
    {
        var existing = "# Shop benchmarks\n\ngenerated tables\n" + MarkdownReport.KeptMarker + "\n## Single node vs Redis Cluster\n| a | b |\n";

        var kept = MarkdownReport.KeptPart(existing);

        Assert.StartsWith("\n" + MarkdownReport.KeptMarker, kept);
        Assert.EndsWith("## Single node vs Redis Cluster\n| a | b |\n", kept);
        Assert.DoesNotContain("generated tables", kept);
    }

    [Fact]
    public void AReportWithoutTheMarkerKeepsNothing() =>
        Assert.Equal("", MarkdownReport.KeptPart("# Shop benchmarks\n\ngenerated tables\n"));
}
