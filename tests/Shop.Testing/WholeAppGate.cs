namespace Shop.Testing;

/// <summary>
/// Lets one whole Shop (seven replicas, Redis, DCP) run at a time on this machine, across processes: the test
/// assemblies (which <c>dotnet test</c> runs in parallel) and the bench. Two Aspire apps starting together on two
/// cores turn limiter windows and outage bounds into races, and a test app in the middle of a measurement spoils
/// it. The gate is an exclusive file lock, released when the last holder in the process is disposed or the
/// process ends, so a crashed run never blocks the next one. It is re-entrant within a process: the bench holds
/// it across its three app starts, each of which enters it again.
/// </summary>
public sealed class WholeAppGate : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "shop-whole-app.lock");
    private static readonly SemaphoreSlim ProcessGate = new(1, 1);
    private static FileStream? s_lock;
    private static int s_holders;

    private bool _disposed;

    private WholeAppGate()
    {
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the gate; <paramref name="onWait"/> runs once if it must wait.</summary>
    public static async Task<WholeAppGate> EnterAsync(TimeSpan timeout, Action onWait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var waited = false;
        while (true)
        {
            await ProcessGate.WaitAsync(cancellationToken);
            try
            {
                s_lock ??= new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                s_holders++;
                return new WholeAppGate();
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                // Another process holds it.
            }
            finally
            {
                ProcessGate.Release();
            }
            if (!waited)
            {
                onWait();
                waited = true;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        ProcessGate.Wait();
        try
        {
            if (--s_holders == 0)
            {
                s_lock?.Dispose();
                s_lock = null;
            }
        }
        finally
        {
            ProcessGate.Release();
        }
    }
}
