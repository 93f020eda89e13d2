using System.Diagnostics;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>A process's descendants, read from <c>/proc</c> (Linux), so a test can kill exactly the processes its app started.</summary>
internal static class ProcessTree
{
    public static IReadOnlyList<int> Descendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentOf(pid) is { } parent)
            {
                parents[pid] = parent;
            }
        }
        var found = new List<int>();
        var frontier = new Queue<int>([root]);
        while (frontier.TryDequeue(out var current))
        {
            foreach (var child in parents.Where(p => p.Value == current).Select(p => p.Key))
            {
                found.Add(child);
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    public static bool Kill(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false; // Already gone.
        }
    }

    /// <summary>Sends a signal (<c>STOP</c>, <c>CONT</c>, …) to every process, with the system's <c>kill</c>.</summary>
    public static async Task SignalAsync(string signal, IEnumerable<int> processes)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, .. processes.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))])
        {
            RedirectStandardError = true,
        })!;
        await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(kill.ExitCode == 0, $"kill -{signal} failed: {await kill.StandardError.ReadToEndAsync()}");
    }

    // /proc/{pid}/stat is "pid (comm) state ppid …"; comm may contain spaces and parentheses, so split after the last ')'.
    private static int? ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.TryParse(fields[1], out var parent) ? parent : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
