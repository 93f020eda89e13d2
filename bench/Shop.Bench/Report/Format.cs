using System.Globalization;

namespace Shop.Bench.Report;

/// <summary>Number formats of the report, invariant so the file is the same on every machine's locale.</summary>
public static class Format
{
    public static string Rate(double requestsPerSecond) => requestsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double milliseconds) => milliseconds switch
    {
        < 1 => milliseconds.ToString("0.00", CultureInfo.InvariantCulture),
        < 100 => milliseconds.ToString("0.0", CultureInfo.InvariantCulture),
        _ => milliseconds.ToString("N0", CultureInfo.InvariantCulture),
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + " %";

    public static string Times(double ratio) => double.IsFinite(ratio)
        ? ratio.ToString(ratio < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture) + "×"
        : "n/a";

    public static string Number(double value, string format = "0.00") => value.ToString(format, CultureInfo.InvariantCulture);

    public static double Ratio(double numerator, double denominator) => denominator == 0 ? double.NaN : numerator / denominator;
}
