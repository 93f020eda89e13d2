using System.Globalization;
using Shop.Testing;

namespace Shop.Bench.Soak;

/// <summary>
/// One replica's operating-system process, as the soak samples it. DCP starts a project as a <c>dotnet run</c>
/// wrapper (the pid the resource snapshot gives as <c>executable.pid</c>), and the app is its child: measuring the
/// wrapper would measure the SDK, not Shop.
/// </summary>
public sealed record ReplicaProcess(string Service, string Name, int WrapperPid, int Pid)
{
    private const string PidProperty = "executable.pid";

    /// <summary>Every replica of every service, in a stable order (service, then name).</summary>
    public static async Task<IReadOnlyList<ReplicaProcess>> FindAsync(ShopApp app, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ReplicaProcess>(StringComparer.Ordinal);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var update in app.App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (ShopResources.Services.FirstOrDefault(s => ShopResources.BelongsTo(update.Resource.Name, s)) is { } service
                    && update.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value
                    && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var wrapper)
                    && AppProcessOf(wrapper) is { } pid)
                {
                    found[update.ResourceId] = new ReplicaProcess(service, Label(update.Resource.Name, update.ResourceId), wrapper, pid);
                }
                if (ShopResources.Services.All(s => found.Values.Count(r => r.Service == s) >= app.ReplicasOf(s)))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Found the process of only {found.Count} replicas within a minute.");
        }
        return [.. found.Values.OrderBy(r => Array.IndexOf(ShopResources.Services, r.Service)).ThenBy(r => r.Name, StringComparer.Ordinal)];
    }

    /// <summary>The resident set (VmRSS) in MB, or NaN once the process is gone.</summary>
    public double ResidentMegabytes() => ProcFs.ResidentKilobytes(Pid) is { } kilobytes ? kilobytes / 1024.0 : double.NaN;

    /// <summary>
    /// The app under the wrapper: the first descendant that is not itself a <c>dotnet run</c>; the wrapper itself when it
    /// has no child (a launch that runs the app directly). Null while the wrapper has not started it yet.
    /// </summary>
    public static int? AppProcessOf(int wrapperPid)
    {
        if (!ProcFs.Exists(wrapperPid))
        {
            return null;
        }
        var queue = new Queue<int>(ProcFs.Children(wrapperPid));
        if (queue.Count == 0)
        {
            return ProcFs.IsDotnetRun(wrapperPid) ? null : wrapperPid;
        }
        while (queue.TryDequeue(out var pid))
        {
            if (!ProcFs.IsDotnetRun(pid))
            {
                return pid;
            }
            foreach (var child in ProcFs.Children(pid))
            {
                queue.Enqueue(child);
            }
        }
        return null;
    }

    /// <summary><c>web-frontend-2</c> for a one-replica resource, <c>catalog-api/abcd1234</c> for one of several.</summary>
    private static string Label(string resource, string resourceId) =>
        resourceId.Length > resource.Length + 1 && resource != ShopResources.Frontend && !resource.StartsWith(ShopResources.Frontend + "-", StringComparison.Ordinal)
            ? $"{resource}/{resourceId[(resource.Length + 1)..]}"
            : resource;
}
