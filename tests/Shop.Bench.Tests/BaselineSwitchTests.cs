using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Bench.Tests;

public sealed class BaselineSwitchTests
{
    [Fact]
    public void EverySwitchIsOffWhenNotConfigured()
    {
        var builder = Host.CreateApplicationBuilder();

        Assert.False(builder.IsBaselineOn(BaselineExtensions.InProcessSession, "sessions per replica."));
        Assert.False(builder.IsBaselineOn(BaselineExtensions.InMemoryOutputCache, "cache per replica."));
        Assert.False(builder.IsBaselineOn(BaselineExtensions.OutputCacheOff, "no cache."));
        Assert.False(builder.IsBaselineOn(BaselineExtensions.InMemoryRateLimiter, "limits per replica."));
    }

    [Fact]
    public async Task ASwitchThatIsOnLogsAWarningAtStartUpNamingItAndWhatItBreaks()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Baseline:InMemoryOutputCache"] = "true";
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs);

        Assert.True(builder.IsBaselineOn(BaselineExtensions.InMemoryOutputCache, "each replica caches on its own."));
        Assert.False(builder.IsBaselineOn(BaselineExtensions.InProcessSession, "sessions per replica."));
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        var warning = Assert.Single(logs.Entries, e => e.Message.Contains("DEMONSTRATION", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("Baseline:InMemoryOutputCache", warning.Message);
        Assert.Contains("each replica caches on its own.", warning.Message);
    }

    [Fact]
    public async Task ASwitchSetToFalseStaysOffAndSaysNothing()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["Baseline:InMemoryRateLimiter"] = "false";
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs);

        Assert.False(builder.IsBaselineOn(BaselineExtensions.InMemoryRateLimiter, "limits per replica."));
        using var host = builder.Build();
        await host.StartAsync();
        await host.StopAsync();

        Assert.DoesNotContain(logs.Entries, e => e.Message.Contains("DEMONSTRATION", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(Entries);

        public void Dispose()
        {
        }

        private sealed class Logger(List<(LogLevel, string)> entries) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (entries)
                {
                    entries.Add((logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
