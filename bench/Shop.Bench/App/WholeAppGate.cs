namespace Shop.Bench.App;

/// <summary>
/// The machine-wide "one whole Shop at a time" lock that the end-to-end and browser test fixtures take
/// (tests/Shop.Testing/WholeAppGate.cs, same file): an exclusive lock on <c>shop-whole-app.lock</c> in the
/// temp directory, released when disposed or when the process ends. The benchmark holds it for its whole run,
/// so no test app starts in the middle of a measurement, and it waits for a running test app to finish first.
/// Kept as a copy rather than a reference so the console app does not depend on the test helpers (xunit).
/// </summary>
public sealed class WholeAppGate : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "shop-whole-app.lock");
    private readonly FileStream _lock;

    private WholeAppGate(FileStream @lock) => _lock = @lock;

    public static async Task<WholeAppGate> EnterAsync(TimeSpan timeout, Action onWait, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var waited = false;
        while (true)
        {
            try
            {
                return new WholeAppGate(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!waited)
                {
                    onWait();
                    waited = true;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public void Dispose() => _lock.Dispose();
}
