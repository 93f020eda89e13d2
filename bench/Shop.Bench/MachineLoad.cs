using System.Globalization;

namespace Shop.Bench;

/// <summary>The load average, so a figure taken while other processes were busy can be recognized as such.</summary>
public static class MachineLoad
{
    private const string LoadAverageFile = "/proc/loadavg";

    /// <summary>"1-min 5-min 15-min", or "n/a" off Linux.</summary>
    public static string Triple() =>
        File.Exists(LoadAverageFile) ? string.Join(" ", File.ReadAllText(LoadAverageFile).Split(' ').Take(3)) : "n/a";

    public static double OneMinute() =>
        File.Exists(LoadAverageFile)
        && double.TryParse(File.ReadAllText(LoadAverageFile).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load)
            ? load
            : double.NaN;
}
