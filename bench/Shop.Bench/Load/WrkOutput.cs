using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.Bench.Load;

/// <summary>The numbers of one <c>wrk --latency</c> report.</summary>
public sealed record WrkOutput(long Requests, double Seconds, double RequestsPerSecond, double P50Milliseconds,
    double P99Milliseconds, long Non2xx, long SocketErrors);

/// <summary>
/// Reads wrk 4's text report, for example:
/// <code>
///   Latency Distribution
///      50%  412.00us
///      99%    3.10ms
///   53013 requests in 8.00s, 31.33MB read
///   Non-2xx or 3xx responses: 12
///   Socket errors: connect 0, read 0, write 0, timeout 3
/// Requests/sec:   6626.23
/// </code>
/// </summary>
public static partial class WrkOutputParser
{
    public static WrkOutput Parse(string text)
    {
        var summary = SummaryPattern().Match(text);
        var rate = RatePattern().Match(text);
        if (!summary.Success || !rate.Success)
        {
            throw new FormatException("Not a wrk report (no request summary or Requests/sec line):\n" + text);
        }
        var errors = SocketErrorsPattern().Match(text);
        var non2xx = Non2xxPattern().Match(text);
        return new WrkOutput(
            Requests: long.Parse(summary.Groups[1].Value, CultureInfo.InvariantCulture),
            Seconds: Duration(summary.Groups[2].Value, summary.Groups[3].Value),
            RequestsPerSecond: double.Parse(rate.Groups[1].Value, CultureInfo.InvariantCulture),
            P50Milliseconds: Percentile(text, "50"),
            P99Milliseconds: Percentile(text, "99"),
            Non2xx: non2xx.Success ? long.Parse(non2xx.Groups[1].Value, CultureInfo.InvariantCulture) : 0,
            SocketErrors: errors.Success
                ? Enumerable.Range(1, 4).Sum(g => long.Parse(errors.Groups[g].Value, CultureInfo.InvariantCulture))
                : 0);
    }

    private static double Percentile(string text, string percent)
    {
        var match = Regex.Match(text, $@"^\s*{percent}(?:\.0+)?%\s+([\d.]+)(us|ms|s|m)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new FormatException($"The wrk report has no {percent}% latency (was --latency given?).");
        }
        return Milliseconds(match.Groups[1].Value, match.Groups[2].Value);
    }

    internal static double Milliseconds(string number, string unit)
    {
        var value = double.Parse(number, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => value / 1000,
            "ms" => value,
            "s" => value * 1000,
            "m" => value * 60_000,
            _ => throw new FormatException($"Unknown wrk time unit '{unit}'."),
        };
    }

    private static double Duration(string number, string unit) => Milliseconds(number, unit) / 1000;

    [GeneratedRegex(@"(\d+) requests in ([\d.]+)(us|ms|s|m),")]
    private static partial Regex SummaryPattern();

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex RatePattern();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(\d+)")]
    private static partial Regex Non2xxPattern();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrorsPattern();
}
