using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;
using Xunit;

namespace Shop.Testing;

/// <summary>
/// A real, private <c>redis-server</c> for integration tests: a free loopback port, a password, a temp
/// directory, stopped and deleted when the tests end. Tests run against real Redis semantics (Lua, TTLs,
/// atomic hash commands), never a fake.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _process;

    public string Password { get; } = Convert.ToHexString(Guid.NewGuid().ToByteArray());

    public int Port { get; } = FreeLoopbackPort();

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("shop-redis-").FullName;

    public string ConnectionString => $"127.0.0.1:{Port},password={Password},abortConnect=false,allowAdmin=true";

    /// <summary>A connection for the test's own assertions (key scans, TTL checks).</summary>
    public IConnectionMultiplexer Connection { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = FindRedisServer();
        _process = Process.Start(new ProcessStartInfo(server,
            ["--bind", "127.0.0.1", "--port", Port.ToString(), "--requirepass", Password, "--dir", DataDirectory,
             "--appendonly", "yes", "--save", "", "--daemonize", "no", "--loglevel", "warning"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                Connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString + ",connectTimeout=1000");
                await Connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
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

    public async Task DisposeAsync()
    {
        if (Connection is not null)
        {
            await Connection.DisposeAsync();
        }
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }

    private static string FindRedisServer() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "redis-server"))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "redis-server is not on PATH. Install it (Debian/Ubuntu: apt-get install redis-server) to run the integration tests.");

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
