using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// DEMONSTRATION switches, section <c>Baseline</c>, all off by default. Each one puts a Redis-backed pattern
/// back to what most apps do out of the box: state in each replica's own memory. They exist so that
/// <c>bench/Shop.Bench</c> can measure, side by side, what the shared Redis layer costs and what goes wrong
/// without it (ghost sessions, N-times limits, fragmented and stale caches). Never turn one on in a real
/// deployment: every switch breaks "any replica can serve any request". A switch that is on logs a Warning at
/// start-up, so a baseline can never pass for the real thing in the logs or the dashboard.
/// </summary>
public static partial class BaselineExtensions
{
    public const string SectionName = "Baseline";

    /// <summary>Storefront session, Data Protection key ring and sign-in tickets in each replica's memory.</summary>
    public const string InProcessSession = "InProcessSession";

    /// <summary>Output cache (catalog and storefront) in each replica's memory.</summary>
    public const string InMemoryOutputCache = "InMemoryOutputCache";

    /// <summary>No output caching at all: every read goes to the origin (SQLite for the catalog).</summary>
    public const string OutputCacheOff = "OutputCacheOff";

    /// <summary>Every rate-limit policy counts in each replica's memory (ASP.NET Core's own limiters).</summary>
    public const string InMemoryRateLimiter = "InMemoryRateLimiter";

    /// <summary>
    /// True when <c>Baseline:{mode}</c> is on; then also schedules the start-up Warning that says what this
    /// replica now gets wrong (<paramref name="consequence"/>).
    /// </summary>
    public static bool IsBaselineOn(this IHostApplicationBuilder builder, string mode, string consequence)
    {
        if (!builder.Configuration.GetValue($"{SectionName}:{mode}", false))
        {
            return false;
        }
        builder.Services.AddSingleton(new BaselineMode(mode, consequence));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, BaselineModeWarning>());
        return true;
    }

    private sealed record BaselineMode(string Name, string Consequence);

    /// <summary>Says loudly, once per switch at start-up, that this replica runs a demonstration baseline.</summary>
    private sealed partial class BaselineModeWarning(IEnumerable<BaselineMode> modes, ILogger<BaselineModeWarning> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var mode in modes)
            {
                LogBaselineOn(logger, mode.Name, mode.Consequence);
            }
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        [LoggerMessage(1, LogLevel.Warning,
            "DEMONSTRATION baseline 'Baseline:{Mode}' is ON: {Consequence} Never use it outside a benchmark.")]
        private static partial void LogBaselineOn(ILogger logger, string mode, string consequence);
    }
}
