// Shop.Garnet: Microsoft Garnet, a Redis-compatible server written in .NET, configured the way Shop needs its one
// Redis, in a plain console process: so Shop runs with neither a container runtime nor an installed redis-server.
// The AppHost runs it (Redis:Mode=garnet, and auto when nothing else is there), and so do the integration tests'
// RedisServer where redis-server is missing.
//
//   Shop.Garnet --port <port> --dir <data folder> [--memory 256m] [--index 16m] [more Garnet flags]
//   GARNET_PASSWORD=<the cache-password>   (in the environment, so it never shows in `ps` or /proc/<pid>/cmdline)
//
// What Shop passes to Garnet 2.2.8, and why (the defaults quoted are Garnet's):
//
//   --bind 127.0.0.1        Listen on IPv4 loopback only, like Shop's local redis-server. Without --bind Garnet
//                           picks its own default (loopback while protected mode is on, every interface with
//                           --protected-mode no), so Shop does not rely on it.
//   --auth Password         Require AUTH, with --password from GARNET_PASSWORD: an unauthenticated command is refused.
//   --lua                   Allow EVAL/EVALSHA (off by default). Carts, checkout, the sign-in ticket store and
//                           RedisRateLimiting are all Lua scripts.
//   --lua-transaction-mode  Lock a script's keys while it runs. Without it Garnet runs a script as a plain series
//                           of commands interleaved with other clients' commands: concurrent cart updates are
//                           lost and the rate limiters admit more than their limit (measured: 100 for 50).
//   --aof                   Log every write to the append-only file.
//   --aof-commit-freq 0     Commit each AOF entry as it is appended (the default, named because durability
//                           depends on it): a SIGKILL then loses nothing acknowledged.
//   --aof-size-limit 64m    Take a checkpoint and truncate the AOF once it holds 64 MB (Redis' automatic AOF
//                           rewrite); without it the AOF grows until someone runs SAVE.
//   --recover               Load the latest checkpoint and replay the AOF on start; without it a restart is empty.
//   --checkpointdir <dir>   Where checkpoints and the AOF live (the AOF has no directory flag of its own).
//   --storage-tier          Spill the main log to disk when it outgrows --memory. Without it Garnet silently drops
//                           the OLDEST records once memory is full, live or not (the Data Protection key ring is
//                           written first and never rewritten); Redis would keep everything.
//   --logdir <dir>          Where that log spills to (Garnet refuses --logdir without --storage-tier): the same folder.
//   --device-type RandomAccess
//                           .NET's own file I/O. The Linux default is Garnet's native device, which needs
//                           libaio.so.1, absent on a fresh machine; the server then crashes on its first AOF write.
//   -m <memory>             Main-log memory: keys, values, hashes, lists (default 16g). 256m is plenty for a demo.
//   -i <index>              Hash-index size (default 128m). Every checkpoint writes the whole index, so a small
//                           index also means small checkpoints.
//   --commandstats-monitor  Count calls per command, so INFO commandstats answers as Redis does (the bench reads it).
//   -q                      No start-up banner.
//
// SIGTERM (what the AppHost sends) or Ctrl+C stops the server: the AOF is committed, then the server is disposed
// (listeners, store and AOF closed). Dispose alone does not commit the AOF.

using System.Runtime.InteropServices;
using Garnet;

namespace Shop.Garnet;

// Not top-level statements: with the ASP.NET Core framework referenced, those would make a public Program that
// clashes with the storefront's in the test projects that reference both.
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        string? port = null, dataDirectory = null, memory = "256m", index = "16m";
        var extra = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port" when i + 1 < args.Length: port = args[++i]; break;
                case "--dir" when i + 1 < args.Length: dataDirectory = args[++i]; break;
                case "--memory" when i + 1 < args.Length: memory = args[++i]; break;
                case "--index" when i + 1 < args.Length: index = args[++i]; break;
                default: extra.Add(args[i]); break;
            }
        }
        var password = Environment.GetEnvironmentVariable("GARNET_PASSWORD");
        if (port is null || dataDirectory is null || string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("Usage: GARNET_PASSWORD=<password> Shop.Garnet --port <port> --dir <data folder> [--memory 256m] [--index 16m] [Garnet flags]");
            return 2;
        }
        Directory.CreateDirectory(dataDirectory);
        string[] garnetArgs =
        [
            "--bind", "127.0.0.1", "--port", port, "--auth", "Password", "--password", password,
            "--lua", "--lua-transaction-mode",
            "--aof", "--aof-commit-freq", "0", "--aof-size-limit", "64m", "--recover", "--checkpointdir", dataDirectory,
            "--storage-tier", "--logdir", dataDirectory, "--device-type", "RandomAccess",
            "-m", memory, "-i", index, "--commandstats-monitor", "-q",
            .. extra,
        ];

        using var stopping = new ManualResetEventSlim();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true; // keep running until the AOF is committed and the server disposed
            stopping.Set();
        }
        using var onSigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onSigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        try
        {
            using var server = new GarnetServer(garnetArgs);
            server.Start();
            stopping.Wait();
            await server.Store.CommitAOFAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            // Bad arguments end up here as well (Garnet has already logged why): exit 1, not a crash dump.
            Console.Error.WriteLine($"Shop.Garnet: {e.Message}");
            return 1;
        }
        return 0;
    }
}
