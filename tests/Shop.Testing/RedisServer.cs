using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace Shop.Testing;

/// <summary>
/// A real, private Redis for integration tests — <c>redis-server</c>, or the embedded Garnet (see
/// <see cref="TestRedis"/>) — on a free loopback port with a password and a temp directory, stopped and deleted when
/// disposed. Tests run against real Redis semantics (Lua, TTLs, atomic hash commands), never a fake. A test
/// project's xunit fixture derives from it (this project has no xunit, so the bench can use it).
/// </summary>
public class RedisServer : IAsyncDisposable
{
    private Process? _process;

    public string Password { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public int Port { get; } = LoopbackPort.Free();

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("shop-redis-").FullName;

    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false,allowAdmin=true";

    /// <summary>A connection for the test's own assertions (key scans, TTL checks).</summary>
    public IConnectionMultiplexer Connection { get; private set; } = null!;

    /// <summary>A Redis connection string nobody listens on: Redis "down" from the first moment.</summary>
    public static string Unreachable() => $"127.0.0.1:{LoopbackPort.Free()},abortConnect=false,connectTimeout=500";

    public async Task StartAsync()
    {
        StartProcess();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            ConnectionMultiplexer? connection = null;
            try
            {
                connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=1000");
                await connection.GetDatabase().PingAsync();
                Connection = connection;
                return;
            }
            // Not listening yet: a refused connection, or (abortConnect=false) a PING that waited in the client's
            // backlog for a connection that never came. Under a CI pass's parallel suites the embedded Garnet took
            // longer than that PING's timeout to start, and the whole test class failed in its fixture.
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException && DateTime.UtcNow < deadline)
            {
                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Kills the server (as a crash would); <see cref="StartAgain"/> brings it back on the same port and password.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts the server again after <see cref="StopAsync"/>: same port, password and data directory.</summary>
    public void StartAgain() => StartProcess();

    /// <summary>
    /// Keeps the server from answering for <paramref name="duration"/> (SIGSTOP, then SIGCONT): its sockets stay open
    /// and nothing answers, as when Redis stalls. The stall has begun when this returns its task.
    /// </summary>
    public async Task StallAsync(TimeSpan duration)
    {
        var pid = _process?.Id ?? throw new InvalidOperationException("The server is not running.");
        Signal("STOP", pid);
        try
        {
            await Task.Delay(duration);
        }
        finally
        {
            Signal("CONT", pid);
        }
    }

    private static void Signal(string signal, int pid)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            ?? throw new InvalidOperationException("kill did not start.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {pid} exited with {kill.ExitCode}.");
        }
    }

    /// <summary>A fresh multiplexer for a system under test (libraries dispose the one they are given).</summary>
    public Task<ConnectionMultiplexer> ConnectAsync() => ConnectionMultiplexer.ConnectAsync(ConnectionString);

    public Task FlushAsync() => Connection.GetServers()[0].FlushAllDatabasesAsync();

    /// <summary>Every key in the server, with its TTL (null when it has none).</summary>
    public async Task<IReadOnlyDictionary<string, TimeSpan?>> KeysWithTtlAsync()
    {
        var db = Connection.GetDatabase();
        var result = new Dictionary<string, TimeSpan?>();
        await foreach (var key in Connection.GetServers()[0].KeysAsync(pattern: "*"))
        {
            result[key!] = await db.KeyTimeToLiveAsync(key);
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
        GC.SuppressFinalize(this);
    }

    private void StartProcess()
    {
        var port = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var start = TestRedis.Kind == TestRedisKind.Garnet
            // The same Shop.Garnet the AppHost runs, so the same flags; a small memory bound suits one test class.
            ? new ProcessStartInfo(TestRedis.DotnetHost, [TestRedis.GarnetAssembly, "--port", port, "--dir", DataDirectory, "--memory", "64m", "--index", "1m"])
            {
                Environment = { ["GARNET_PASSWORD"] = Password },
            }
            : new ProcessStartInfo(TestRedis.RedisServerPath(),
                ["--bind", "127.0.0.1", "--port", port, "--requirepass", Password, "--dir", DataDirectory,
                 "--appendonly", "yes", "--save", "", "--daemonize", "no", "--loglevel", "warning"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

}

public static class LoopbackPort
{
    private static readonly HashSet<int> HandedOut = [];

    /// <summary>
    /// A port nothing listens on right now, never the same twice in this process; connecting to it is refused at once.
    /// From 15000–19999, below the OS's ephemeral range and above the AppHost's own (<c>LoopbackPorts</c>, which runs in
    /// this same process under the testing builder): a port the OS picked (bind to 0) is free again at once, so a later
    /// pick, or any outgoing connection, could take it before the server that was meant to bind it starts.
    /// </summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1_000; attempt++)
            {
                var port = Random.Shared.Next(15_000, 20_000);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }
        throw new InvalidOperationException("No free loopback port left in 15000–19999.");
    }

    /// <summary>
    /// The first of <paramref name="count"/> consecutive free ports whose Redis Cluster bus ports (each + 10000) are free
    /// too: a cluster's nodes need stable, known ports, so the OS cannot pick them one by one.
    /// </summary>
    public static int FreeClusterRange(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var first = Random.Shared.Next(20_000, 30_000);
            if (Enumerable.Range(first, count).All(port => IsFree(port) && IsFree(port + 10_000)))
            {
                return first;
            }
        }
        throw new InvalidOperationException($"No {count} consecutive free ports (with their cluster bus ports) found in 20000–30000.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
