using System.Globalization;
using Shop.Bench.Soak;

namespace Shop.Bench;

/// <summary>Which load generator runs the throughput measurements.</summary>
public enum LoadGeneratorChoice
{
    /// <summary><c>wrk</c> when it is on the PATH, else the built-in HttpClient loop.</summary>
    Auto,
    Wrk,
    HttpClient,
}

/// <summary>
/// How long and how hard the benchmark pushes. Full mode stays within about seven minutes on two cores
/// (three app starts included); quick mode only proves the harness works end to end.
/// </summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>Where benchmarks.md and benchmarks.svg are written.</summary>
    public string OutputDirectory { get; init; } = DefaultOutputDirectory();

    public LoadGeneratorChoice LoadGenerator { get; init; } = LoadGeneratorChoice.Auto;

    /// <summary>
    /// Set by <c>--redis redis|garnet|cluster</c>: which server the app runs on (<see cref="Shop.Testing.TestRedis"/>'s
    /// <c>SHOP_TEST_REDIS</c>); unset, the harness's own rule (redis-server when installed, else Garnet).
    /// </summary>
    public string? Redis { get; init; }

    /// <summary>Free text for the report's header (where and how the run was taken).</summary>
    public string? Note { get; init; }

    /// <summary>Measured part of each throughput run.</summary>
    public TimeSpan Duration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(8);

    /// <summary>Unmeasured run before each throughput run (JIT, connection pools, caches); <c>--warmup</c> sets it.</summary>
    public TimeSpan Warmup => WarmupOverride ?? (Quick ? TimeSpan.Zero : TimeSpan.FromSeconds(2));

    public TimeSpan? WarmupOverride { get; init; }

    /// <summary>
    /// The warm-up of a page rendered per shopper (session, signed in), at least <see cref="Warmup"/>. Its code path
    /// (Razor, the session, the ticket) is first run in that row, and the runtime's tiered JIT recompiles it for
    /// seconds under load: a profile of a storefront replica during a 2 s-warmed session page found a fifth of its
    /// CPU in the JIT compiler.
    /// </summary>
    public TimeSpan RenderedPageWarmup => Quick ? Warmup : TimeSpan.FromSeconds(Math.Max(20, Warmup.TotalSeconds));

    /// <summary>Open connections of a throughput run, spread over the replicas.</summary>
    public int Connections { get; init; } = 32;

    /// <summary>The storefront's <c>browse</c> limit (per shopper and minute) during the limiter scenario.</summary>
    public int BrowseLimit => Quick ? 100 : 300;

    /// <summary>Concurrent clients of the permits-granted measurement.</summary>
    public int LimiterClients { get; init; } = 64;

    /// <summary>Requests per page type when counting Redis commands per request.</summary>
    public int CommandSampleRequests => Quick ? 20 : 100;

    /// <summary>Requests spread over the replicas when checking whether the shopper's state follows them.</summary>
    public int VisibilityRequests => Quick ? 12 : 30;

    /// <summary>
    /// Shoppers with a session whose cookies the session-page load rotates through: enough that none spends their
    /// <c>browse</c> budget (300 a minute) over the warm-up and the measured run.
    /// </summary>
    public int SessionShoppers => Quick ? 24 : 256;

    /// <summary>Devices signed in to the three demo accounts, whose cookies the signed-in page load rotates through.</summary>
    public int SignedInDevices => Quick ? 6 : 24;

    public string MarkdownPath => Path.Combine(OutputDirectory, "benchmarks.md");

    public string SvgPath => Path.Combine(OutputDirectory, "benchmarks.svg");

    /// <summary>The repository's <c>docs</c> folder (found from the current directory upwards), else ./docs.</summary>
    private static string DefaultOutputDirectory()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
            {
                return Path.Combine(directory.FullName, "docs");
            }
        }
        return "docs";
    }

    /// <summary>Set by <c>--soak &lt;duration&gt;</c>: run the soak instead of the scenarios.</summary>
    public SoakOptions? Soak { get; init; }

    public const string Usage =
        "Usage: Shop.Bench [--quick] [--redis redis|garnet|cluster] [--output <dir>] [--load-generator auto|wrk|httpclient] [--connections <n>] [--warmup <duration>] [--note <text>]\n"
        + "       Shop.Bench --soak <duration, e.g. 30m> [--soak-warmup <duration>] [--soak-interval <duration>] "
        + "[--soak-rate <req/s>] [--soak-connections <n>] [--soak-tolerance <percent>] [--output <dir>] [--note <text>]";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        SoakOptions? soak = null;
        // Soak settings may come before --soak; they are applied once its duration is known.
        var soakSettings = new List<Func<SoakOptions, SoakOptions>>();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--quick": options = options with { Quick = true }; break;
                case "--output": options = options with { OutputDirectory = Value() }; break;
                case "--load-generator": options = options with { LoadGenerator = Enum.Parse<LoadGeneratorChoice>(Value(), ignoreCase: true) }; break;
                case "--note": options = options with { Note = Value() }; break;
                case "--redis":
                    options = options with
                    {
                        Redis = Value() is ("redis" or "garnet" or "cluster") and var server
                            ? server
                            : throw new ArgumentException($"--redis takes redis, garnet or cluster.\n{Usage}"),
                    };
                    break;
                case "--warmup": options = options with { WarmupOverride = DurationText.Parse(Value(), "--warmup") }; break;
                case "--connections": options = options with { Connections = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
                case "--soak": soak = new SoakOptions { Duration = DurationText.Parse(Value(), "--soak") }; break;
                case "--soak-warmup":
                    var warmup = DurationText.Parse(Value(), "--soak-warmup");
                    soakSettings.Add(s => s with { WarmupOverride = warmup });
                    break;
                case "--soak-interval":
                    var interval = DurationText.Parse(Value(), "--soak-interval");
                    soakSettings.Add(s => s with { SampleInterval = interval });
                    break;
                case "--soak-rate":
                    var rate = SoakOptions.ParseRate(Value());
                    soakSettings.Add(s => s with { RequestsPerSecond = rate });
                    break;
                case "--soak-connections":
                    var connections = int.Parse(Value(), CultureInfo.InvariantCulture);
                    soakSettings.Add(s => s with { Connections = connections });
                    break;
                case "--soak-tolerance":
                    var percent = double.Parse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    soakSettings.Add(s => s with { Tolerance = percent / 100 });
                    break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }
        if (soak is null)
        {
            return soakSettings.Count == 0 ? options : throw new ArgumentException($"The --soak-* settings need --soak <duration>.\n{Usage}");
        }
        if (options.Quick)
        {
            throw new ArgumentException("--soak and --quick do not go together: a soak is long by design.");
        }
        return options with { Soak = soakSettings.Aggregate(soak, (current, apply) => apply(current)).Validated() };
    }
}
