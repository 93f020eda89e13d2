using System.Globalization;

namespace Shop.Bench.Soak;

/// <summary>The few <c>/proc</c> reads the soak needs (Linux only, as is the machine the bench runs on).</summary>
public static class ProcFs
{
    public static bool Exists(int pid) => Directory.Exists($"/proc/{pid}");

    /// <summary>VmRSS of /proc/&lt;pid&gt;/status in kB (what <c>ps</c> shows as RSS), or null once the process is gone.</summary>
    public static long? ResidentKilobytes(int pid)
    {
        try
        {
            return ParseResidentKilobytes(File.ReadLines($"/proc/{pid}/status"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static long? ParseResidentKilobytes(IEnumerable<string> statusLines)
    {
        foreach (var line in statusLines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                var parts = line["VmRSS:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[0], CultureInfo.InvariantCulture);
            }
        }
        return null;
    }

    /// <summary>Direct children, from every thread's <c>children</c> file (a child belongs to the thread that forked it).</summary>
    public static IReadOnlyList<int> Children(int pid)
    {
        try
        {
            return [.. Directory.EnumerateDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
                .Select(child => int.Parse(child, CultureInfo.InvariantCulture))
                .Distinct()
                .Order()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether the process is an SDK <c>dotnet run</c> (its command line's first two arguments).</summary>
    public static bool IsDotnetRun(int pid)
    {
        try
        {
            var arguments = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return arguments.Length > 1 && Path.GetFileName(arguments[0]) == "dotnet" && arguments[1] == "run";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
