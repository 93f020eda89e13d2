using System.Globalization;
using System.Security;
using System.Text;

namespace Shop.Bench.Report;

/// <summary>
/// Writes <c>docs/benchmarks.svg</c>: two plain bar panels, drawn by hand (no chart library). Left: requests
/// per second of every throughput run, grouped by scenario, on one scale. Right: each "what goes wrong"
/// measure with Redis (blue) and per-replica state (orange), each pair on its own scale.
/// </summary>
public static class SvgChart
{
    private const int Width = 1100;
    private const int RowHeight = 26;
    private const int LabelWidth = 220;
    private const int BarWidth = 250;
    private const string RedisColor = "#2b6cb0";
    private const string LocalColor = "#dd6b20";
    private const string ThroughputColor = "#4a5568";

    public static string Render(BenchReport report)
    {
        var bars = report.Scenarios.SelectMany(s => s.Bars).Where(b => double.IsFinite(b.RequestsPerSecond)).ToList();
        var comparisons = report.Scenarios.SelectMany(s => s.Comparisons).ToList();
        var groups = bars.Select(b => b.Group).Distinct().Count();
        var leftRows = bars.Count + groups;
        var rightRows = (int)Math.Ceiling(comparisons.Count * 3.5);
        var height = 110 + Math.Max(leftRows, rightRows) * RowHeight;

        var svg = new StringBuilder();
        svg.AppendLine(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{height}" viewBox="0 0 {Width} {height}" font-family="system-ui, sans-serif" font-size="12">"""));
        svg.AppendLine(Invariant($"""  <rect width="{Width}" height="{height}" fill="#ffffff"/>"""));
        Text(svg, 16, 24, $"Shop benchmarks, {report.Machine.StartedAt.UtcDateTime:yyyy-MM-dd}, {report.Machine.Cores} cores{(report.Options.Quick ? " (QUICK RUN, not representative)" : "")}", 15, "bold");
        Text(svg, 16, 50, "Requests per second (higher is better), replicas' own ports", 13, "bold");
        Text(svg, 570, 50, "Redis (shared) vs per-replica state", 13, "bold");

        var max = bars.Count == 0 ? 1 : bars.Max(b => b.RequestsPerSecond);
        var y = 70;
        foreach (var group in bars.GroupBy(b => b.Group))
        {
            Text(svg, 16, y + 16, group.Key, 12, "bold");
            y += RowHeight;
            foreach (var bar in group)
            {
                Text(svg, 24, y + 16, bar.Label);
                var width = Math.Max(1, bar.RequestsPerSecond / max * (BarWidth - 10));
                Bar(svg, LabelWidth, y + 4, width, ThroughputColor);
                Text(svg, LabelWidth + width + 6, y + 16, Format.Rate(bar.RequestsPerSecond));
                y += RowHeight;
            }
        }

        y = 70;
        foreach (var comparison in comparisons)
        {
            Text(svg, 570, y + 16, comparison.Label, 12, "bold");
            y += RowHeight;
            var scale = Math.Max(Math.Max(Finite(comparison.Redis), Finite(comparison.PerReplica)), 1);
            foreach (var (name, value, color) in new[] { ("Redis", comparison.Redis, RedisColor), ("per replica", comparison.PerReplica, LocalColor) })
            {
                Text(svg, 578, y + 16, name);
                var width = Math.Max(1, Finite(value) / scale * 220);
                Bar(svg, 670, y + 4, width, color);
                Text(svg, 670 + width + 6, y + 16, double.IsFinite(value) ? Format.Number(value, "0.#") + (comparison.Unit.Length > 0 ? " " + comparison.Unit : "") : "n/a");
                y += RowHeight;
            }
            y += RowHeight / 2;
        }
        Text(svg, 16, height - 14, "Each Redis / per-replica pair is drawn on its own scale. Full tables and method: docs/benchmarks.md.", 11);
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static void Bar(StringBuilder svg, double x, double y, double width, string color) =>
        svg.AppendLine(Invariant($"""  <rect x="{x:0.#}" y="{y:0.#}" width="{width:0.#}" height="{RowHeight - 8}" fill="{color}"/>"""));

    private static void Text(StringBuilder svg, double x, double y, string text, int size = 12, string weight = "normal") =>
        svg.AppendLine(Invariant($"""  <text x="{x:0.#}" y="{y:0.#}" font-size="{size}" font-weight="{weight}" fill="#1a202c">{SecurityElement.Escape(text)}</text>"""));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
