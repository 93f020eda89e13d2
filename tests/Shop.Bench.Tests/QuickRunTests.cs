using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Shop.Bench.Tests;

/// <summary>
/// Runs the whole benchmark in quick mode (three app starts, about a second of load per measurement) so the
/// harness keeps working as the app changes. Asserts the report's shape, that every measurement ran, and the
/// correctness figures the README states exactly (a limit of L grants L with Redis; no stale read after a price
/// change; no stall-breaker trip under load alone), never a timing: the machine running the tests is shared and slow.
/// </summary>
public sealed class QuickRunTests
{
    [Fact]
    public async Task AQuickRunWritesAReportWithATableForEveryScenarioAndAChart()
    {
        var output = Directory.CreateTempSubdirectory("shop-bench-test-").FullName;
        try
        {
            var options = new BenchOptions { Quick = true, OutputDirectory = output };
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));

            var report = await BenchRunner.RunAsync(options, TextWriter.Null, timeout.Token);

            var markdown = await File.ReadAllTextAsync(options.MarkdownPath);
            Assert.Contains("**Quick run**", markdown);
            Assert.Contains($"| CPU cores | {Environment.ProcessorCount} ", markdown);
            for (var scenario = 1; scenario <= 6; scenario++)
            {
                var section = Regex.Match(markdown, $@"^## {scenario}\. .*?(?=^## )", RegexOptions.Multiline | RegexOptions.Singleline);
                Assert.True(section.Success, $"No section for scenario {scenario}.");
                var lines = section.Value.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
                var separator = lines.FindIndex(line => Regex.IsMatch(line, @"^\|(?:---:?\|)+$"));
                Assert.True(separator > 0, $"Scenario {scenario} has no Markdown table.");
                Assert.StartsWith("| ", lines[separator + 1]);
                Assert.DoesNotContain("not run", section.Value);
            }
            Assert.Equal(6, report.Scenarios.Count);
            Assert.All(report.Scenarios.SelectMany(s => s.Tables), table =>
            {
                Assert.NotEmpty(table.Rows);
                Assert.All(table.Rows, row => Assert.Equal(table.Columns.Count, row.Count));
            });
            Assert.All(report.Ratios, ratio => Assert.True(double.IsFinite(ratio.Value) && ratio.Value > 0, $"{ratio.Name} = {ratio.Value}"));
            Assert.Equal(100, report.Correctness.Limit);
            Assert.Equal(report.Correctness.Limit, report.Correctness.GrantedWithRedis);
            Assert.True(report.Correctness.GrantedPerReplica > report.Correctness.Limit,
                $"The per-replica baseline granted {report.Correctness.GrantedPerReplica}: it should show the limit multiplied.");
            Assert.Equal(0, report.Correctness.StaleReadsWithRedis);
            Assert.True(report.Correctness.ReadsAfterChange > 0);
            // Load alone never makes a replica take Redis for stalled (no command reaches its timeout).
            Assert.Equal(0, report.Correctness.StallBreakerTrips);
            // The session and signed-in pages read the badge from Redis, not from Cart.Api (which was one call on every
            // page); the catalog is asked only when its shared data was evicted, which is rare.
            Assert.InRange(report.Correctness.HttpCallsPerRenderedPage ?? double.NaN, 0, 0.05);

            var svg = XDocument.Parse(await File.ReadAllTextAsync(options.SvgPath));
            Assert.Equal("svg", svg.Root!.Name.LocalName);
            Assert.True(svg.Descendants().Count(e => e.Name.LocalName == "rect") > 10);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
