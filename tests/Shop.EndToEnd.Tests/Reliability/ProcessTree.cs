using System.Diagnostics;
using System.Runtime.InteropServices;

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

    /// <summary>
    /// Sends <paramref name="signal"/> to every process through libc's <c>kill(2)</c>, not the <c>kill</c> executable,
    /// which a machine with only the .NET SDK on PATH does not have.
    /// </summary>
    public static void Signal(ProcessSignal signal, IEnumerable<int> processes)
    {
        foreach (var pid in processes)
        {
            Assert.True(SendSignal(pid, (int)signal) == 0, $"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

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

/// <summary>The signals the reliability tests send, with their Linux numbers (<see cref="ProcessTree"/> reads /proc: Linux only).</summary>
internal enum ProcessSignal
{
    Continue = 18,
    Stop = 19,
}
