namespace Shop.Testing;

/// <summary>
/// Lets one whole Shop (seven replicas, Redis, DCP) run at a time on this machine, across test processes.
/// <c>dotnet test</c> runs test assemblies in parallel; two Aspire apps starting together on two cores turn
/// limiter windows and outage bounds into races. The gate is an exclusive file lock, released when the
/// holder is disposed or its process ends, so a crashed run never blocks the next one.
/// </summary>
public sealed class WholeAppGate : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "shop-whole-app.lock");
    private readonly FileStream _lock;

    private WholeAppGate(FileStream @lock) => _lock = @lock;

    public static async Task<WholeAppGate> EnterAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new WholeAppGate(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }

    public void Dispose() => _lock.Dispose();
}
