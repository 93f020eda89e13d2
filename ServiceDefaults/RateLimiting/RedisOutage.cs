using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// A policy's view of Redis health, shared by all its partitions. After a failure, while the multiplexer
/// still reports no connection, requests skip Redis for a few seconds instead of each waiting for the
/// command timeout; one request per interval probes again, and a reconnect ends the outage at once.
/// Logs once when an outage starts, then at most every 30 seconds with a count, and once when Redis answers
/// again: during an outage every request fails the same way, and a line per request would bury the one
/// message an operator needs.
/// </summary>
internal sealed partial class RedisOutage(string policy, ILogger logger)
{
    private static readonly TimeSpan SkipRedisFor = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private bool _inOutage;
    private long _lastFailure;
    private long _lastLogged;
    private int _suppressed;

    /// <summary>
    /// True while a recent failure says Redis is down and the multiplexer has not reconnected. Before the
    /// first failure this is false even when not (yet) connected, so requests that arrive while the
    /// multiplexer is still connecting wait for it rather than being counted locally.
    /// </summary>
    public bool ShouldSkipRedis(bool redisConnected) =>
        !redisConnected
        && Volatile.Read(ref _inOutage)
        && Stopwatch.GetElapsedTime(Volatile.Read(ref _lastFailure)) < SkipRedisFor;

    public void Failed(RedisFailureMode mode, Exception? exception)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (exception is not null)
            {
                _lastFailure = now;
            }
            if (_inOutage && Stopwatch.GetElapsedTime(_lastLogged, now) < LogInterval)
            {
                _suppressed++;
                return;
            }
            LogUnavailable(logger, exception, policy, mode, _suppressed);
            (_inOutage, _lastLogged, _suppressed) = (true, now, 0);
        }
    }

    public void Succeeded()
    {
        if (!Volatile.Read(ref _inOutage))
        {
            return;
        }
        lock (_gate)
        {
            if (_inOutage)
            {
                LogRecovered(logger, policy);
                (_inOutage, _suppressed) = (false, 0);
            }
        }
    }

    [LoggerMessage(1, LogLevel.Warning,
        "Rate-limit policy '{Policy}' cannot reach Redis; applying {Mode} ({Suppressed} failures not logged since the last message).")]
    private static partial void LogUnavailable(ILogger logger, Exception? exception, string policy, RedisFailureMode mode, int suppressed);

    [LoggerMessage(2, LogLevel.Information, "Rate-limit policy '{Policy}' reaches Redis again; limits are shared across replicas again.")]
    private static partial void LogRecovered(ILogger logger, string policy);
}
