namespace Shop.Bench.App;

/// <summary>
/// One configuration of the whole app, passed to the AppHost as configuration (the AppHost forwards its
/// <c>RateLimiting</c>, <c>Baseline</c> and <c>Diagnostics</c> sections to every replica).
/// </summary>
public sealed record AppProfile(string Name, string Description, IReadOnlyList<string> Settings)
{
    /// <summary>Shop as designed: every pattern in Redis, the storefront's limiter on at its real default.</summary>
    public static AppProfile Shared(BenchOptions options) => new("shared",
        "Shop as designed: output cache, sessions, tickets, key ring and rate limits in Redis",
        [.. BrowseLimit(options), "RateLimiting:Enabled=true"]);

    /// <summary>
    /// The catalog without any output cache and every limiter off: the origin and "limiter off" figures, and where a
    /// rendered page's time goes (the storefront's span times, <see cref="Microsoft.Extensions.Hosting.SpanTimes"/>).
    /// </summary>
    /// <remarks>The gateway's per-address ceiling is raised too: through the gateway all of the load comes from one address.</remarks>
    public static AppProfile Origin(BenchOptions options) => new("origin",
        "Baseline:OutputCacheOff=true (catalog reads from SQLite every time), RateLimiting:Enabled=false, EdgeLimit:PermitLimit raised, Diagnostics:SpanTimes=true",
        ["Baseline:OutputCacheOff=true", "RateLimiting:Enabled=false", "EdgeLimit:PermitLimit=1000000000", "Diagnostics:SpanTimes=true", .. BrowseLimit(options)]);

    /// <summary>
    /// The soak: Shop as designed (the shared Redis output cache serves the anonymous pages), only the limiter off, as on
    /// the bench's other no-limit rows, so a steady load from one address is measured rather than refused.
    /// </summary>
    public static AppProfile Soak() => new("soak",
        "Shop as designed, RateLimiting:Enabled=false",
        ["RateLimiting:Enabled=false"]);

    /// <summary>What most apps do by default: all state per replica.</summary>
    public static AppProfile PerReplica(BenchOptions options) => new("per-replica",
        "Baseline:InProcessSession, Baseline:InMemoryOutputCache and Baseline:InMemoryRateLimiter on (all state in each replica's memory)",
        ["Baseline:InProcessSession=true", "Baseline:InMemoryOutputCache=true", "Baseline:InMemoryRateLimiter=true",
         "RateLimiting:Enabled=true", .. BrowseLimit(options)]);

    /// <summary>
    /// The browse limit. The benchmark sends its load to the storefront replicas directly, standing in for the
    /// gateway (<see cref="Shop.Testing.TestSecrets.AsGatewayFor"/>), so thousands of simulated shoppers each get
    /// their own budget instead of all sharing the loopback address.
    /// </summary>
    private static string[] BrowseLimit(BenchOptions options) =>
    [
        $"RateLimiting:Policies:browse:PermitLimit={options.BrowseLimit}",
        "RateLimiting:Policies:browse:Window=00:01:00",
    ];
}
