namespace Shop.Testing;

public enum TestRedisKind
{
    /// <summary>The machine's <c>redis-server</c>.</summary>
    Redis,

    /// <summary>Shop's embedded Garnet (Garnet/Shop.Garnet.csproj): needs nothing but the .NET SDK.</summary>
    Garnet,

    /// <summary>A Redis Cluster of <c>redis-server</c> nodes (the whole-app suites only).</summary>
    Cluster,
}

/// <summary>
/// Which Redis the tests run against: <c>SHOP_TEST_REDIS=redis|garnet|cluster</c> forces one (a forced server that
/// is missing fails the run with a message; it never silently switches); unset, the same rule as the AppHost's
/// <c>auto</c> minus containers: <c>redis-server</c> when it is installed, else the embedded Garnet.
/// </summary>
public static class TestRedis
{
    public const string Variable = "SHOP_TEST_REDIS";

    public static TestRedisKind Kind { get; } = Choose(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The AppHost's <c>Redis:Mode</c> for <see cref="Kind"/>.</summary>
    public static string AppHostMode => Kind switch
    {
        TestRedisKind.Garnet => "garnet",
        TestRedisKind.Cluster => "cluster",
        _ => "local",
    };

    /// <summary>Shop.Garnet.dll, copied next to every test assembly by the project reference of this harness.</summary>
    public static string GarnetAssembly => Path.Combine(AppContext.BaseDirectory, "Shop.Garnet.dll");

    /// <summary>The <c>dotnet</c> that runs the tests (the SDK names it in DOTNET_HOST_PATH), to run Shop.Garnet.dll.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static string RedisServerPath() => FindOnPath("redis-server")
        ?? throw new InvalidOperationException(
            $"redis-server is not on PATH, but {Variable}={Environment.GetEnvironmentVariable(Variable)} asks for it. Install it " +
            $"(Debian/Ubuntu: apt-get install redis-server), or unset {Variable} to use the embedded Garnet.");

    private static TestRedisKind Choose(string? forced) => forced?.Trim().ToLowerInvariant() switch
    {
        null or "" => FindOnPath("redis-server") is not null ? TestRedisKind.Redis : TestRedisKind.Garnet,
        "redis" => TestRedisKind.Redis,
        "garnet" => TestRedisKind.Garnet,
        "cluster" => TestRedisKind.Cluster,
        var other => throw new InvalidOperationException($"{Variable}='{other}' is not one of redis, garnet, cluster."),
    };

    private static string? FindOnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
}
