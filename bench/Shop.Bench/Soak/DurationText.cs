using System.Globalization;
using System.Text.RegularExpressions;

namespace Shop.Bench.Soak;

/// <summary>
/// Durations as a person types them on the command line: <c>90s</c>, <c>10m</c>, <c>2h</c>, or parts together
/// (<c>1m30s</c>, <c>1h15m</c>). A bare number is refused: "30" could mean seconds or minutes.
/// </summary>
public static partial class DurationText
{
    public static TimeSpan Parse(string text, string argument)
    {
        var match = DurationPattern().Match(text.Trim());
        if (!match.Success)
        {
            throw new ArgumentException($"{argument} takes a duration such as 90s, 10m, 30m or 1h30m, not '{text}'.");
        }
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = char.ToLowerInvariant(part.Value[^1]);
            var amount = double.Parse(part.Value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture);
            total += unit switch
            {
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }
        if (total <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{argument} must be longer than zero, not '{text}'.");
        }
        return total;
    }

    /// <summary>The short form the reports print: <c>6 min</c>, <c>90 s</c>, <c>2.5 min</c>.</summary>
    public static string Describe(TimeSpan duration) => duration.TotalSeconds < 120 && duration.TotalSeconds % 60 != 0
        ? duration.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s"
        : duration.TotalMinutes.ToString("0.#", CultureInfo.InvariantCulture) + " min";

    /// <summary>The form <see cref="Parse"/> reads back: <c>6m</c>, <c>90s</c>, <c>1h30m</c>.</summary>
    public static string Argument(TimeSpan duration)
    {
        var text = (duration.Hours + duration.Days * 24 > 0 ? $"{duration.Hours + duration.Days * 24}h" : "")
            + (duration.Minutes > 0 ? $"{duration.Minutes}m" : "")
            + (duration.Seconds > 0 ? $"{duration.Seconds}s" : "");
        return text.Length > 0 ? text : "0s";
    }

    [GeneratedRegex(@"^(?:(?<part>\d+(?:\.\d+)?[hms]))+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
