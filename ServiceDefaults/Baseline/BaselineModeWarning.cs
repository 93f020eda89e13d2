using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.Baseline;

/// <summary>A demonstration switch that is on, and what it breaks.</summary>
public sealed record BaselineMode(string Name, string Consequence);

/// <summary>Says loudly, once per switch at start-up, that this replica runs a demonstration baseline.</summary>
internal sealed partial class BaselineModeWarning(IEnumerable<BaselineMode> modes, ILogger<BaselineModeWarning> logger)
    : IHostedService
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
