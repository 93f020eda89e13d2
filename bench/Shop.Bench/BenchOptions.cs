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
/// How long and how hard the benchmark pushes. Full mode stays within about five minutes on two cores
/// (three app starts included); quick mode only proves the harness works end to end.
/// </summary>
public sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>Where benchmarks.md and benchmarks.svg are written.</summary>
    public string OutputDirectory { get; init; } = DefaultOutputDirectory();

    public LoadGeneratorChoice LoadGenerator { get; init; } = LoadGeneratorChoice.Auto;

    /// <summary>Free text for the report's header (where and how the run was taken).</summary>
    public string? Note { get; init; }

    /// <summary>Measured part of each throughput run.</summary>
    public TimeSpan Duration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(8);

    /// <summary>Unmeasured run before each throughput run (JIT, connection pools, caches).</summary>
    public TimeSpan Warmup => Quick ? TimeSpan.Zero : TimeSpan.FromSeconds(2);

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

    /// <summary>Shoppers with a session whose cookies the session-page load rotates through.</summary>
    public int SessionShoppers => Quick ? 24 : 128;

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

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--output" when i + 1 < args.Count => options with { OutputDirectory = args[++i] },
                "--load-generator" when i + 1 < args.Count => options with
                {
                    LoadGenerator = Enum.Parse<LoadGeneratorChoice>(args[++i], ignoreCase: true),
                },
                "--note" when i + 1 < args.Count => options with { Note = args[++i] },
                "--connections" when i + 1 < args.Count => options with { Connections = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException(
                    $"Unknown argument '{args[i]}'. Usage: Shop.Bench [--quick] [--output <dir>] [--load-generator auto|wrk|httpclient] [--connections <n>] [--note <text>]"),
            };
        }
        return options;
    }
}
