using System.Globalization;

namespace Shop.EndToEnd.Tests.Storefront;

/// <summary>The operating-system processes behind the app's service replicas, for reporting their memory.</summary>
internal static class ServiceProcesses
{
    public static async Task<IReadOnlyDictionary<string, int>> FindAsync(DistributedApplication app)
    {
        var found = new Dictionary<string, int>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(stop.Token))
            {
                if (ShopResources.Services.Contains(update.Resource.Name)
                    && update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid
                    && int.TryParse(Convert.ToString(pid, CultureInfo.InvariantCulture), out var id))
                {
                    found[update.ResourceId] = id;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return found;
    }

    /// <summary>Resident set size in MB per replica, read from /proc (Linux); empty elsewhere.</summary>
    public static IReadOnlyDictionary<string, long> ResidentMegabytes(IReadOnlyDictionary<string, int> processes) =>
        processes
            .Select(p => (p.Key, Kilobytes: ReadRssKilobytes(p.Value)))
            .Where(p => p.Kilobytes > 0)
            .ToDictionary(p => p.Key, p => p.Kilobytes / 1024);

    private static long ReadRssKilobytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
