using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Whether this process should ask Redis at all right now. A Redis that is down is known at once (the multiplexer
/// reports no connection); a Redis that STALLS (paused, swapping, overloaded, a network that drops packets with the
/// socket still open) is known only when a command times out, and then every Redis touchpoint of every request would
/// wait out the timeout again: pages took 9 s. So the first timeout trips this breaker for <c>RedisClient:StallBreak</c>:
/// meanwhile every touchpoint (output cache, rate limiter, session, sign-in ticket) takes its documented degraded path
/// at once, and the first request after the break asks Redis again. One breaker per process, because the touchpoints
/// of one request share one Redis: a page with four of them pays one timeout, not four.
/// </summary>
public sealed partial class RedisAvailability(IConnectionMultiplexer redis, IConfiguration configuration, ILogger<RedisAvailability> logger)
{
    private readonly TimeSpan _breakFor = configuration.GetValue<TimeSpan?>("RedisClient:StallBreak")
        ?? throw new InvalidOperationException("RedisClient:StallBreak (how long to skip a Redis that timed out) is not configured.");

    /// <summary>How the breaker's trip starts in the log: the bench counts these lines (a trip under load alone is spurious).</summary>
    public const string TrippedLogMessage = "Redis did not answer in time";

    private long _trippedAt;

    /// <summary>True while a recent timeout or connection failure says Redis is not answering.</summary>
    public bool Stalled => Volatile.Read(ref _trippedAt) is var at and not 0 && Stopwatch.GetElapsedTime(at) < _breakFor;

    /// <summary>Worth a round trip: connected, and not stalled a moment ago.</summary>
    public bool Available => redis.IsConnected && !Stalled;

    /// <summary>
    /// Records a failed Redis call; only a timeout trips the breaker. A lost or refused connection does not: the
    /// multiplexer already reports it (<see cref="Available"/>), and a breaker tripped by the failures of an outage
    /// would keep every touchpoint away for another break after Redis is back.
    /// </summary>
    public void Failed(Exception exception)
    {
        if (IsTimeout(exception) && Interlocked.Exchange(ref _trippedAt, Stopwatch.GetTimestamp()) is var before
            && (before == 0 || Stopwatch.GetElapsedTime(before) >= _breakFor))
        {
            LogStalled(logger, exception, _breakFor.TotalSeconds);
        }
    }

    private static bool IsTimeout(Exception exception) =>
        exception is TimeoutException || (exception is OperationCanceledException && exception.InnerException is TimeoutException);

    /// <summary>
    /// A failure that means "Redis is not answering" rather than "this command was wrong": a timeout (also as the
    /// TaskCanceledException some libraries turn it into, when the request itself was not cancelled) or a lost or
    /// refused connection, or the client tearing its connection down under the command (StackExchange.Redis then
    /// fails the commands in flight with the pipe's "Reading is not allowed after reader was completed", seen under
    /// a burst of requests).
    /// </summary>
    public static bool IsOutage(Exception exception) => exception is
        RedisTimeoutException or RedisConnectionException or TimeoutException or ObjectDisposedException
        || (exception is OperationCanceledException or TaskCanceledException && exception.InnerException is TimeoutException or RedisException)
        || (exception is InvalidOperationException && exception.TargetSite?.DeclaringType?.Namespace == "System.IO.Pipelines")
        || (exception is RedisException && exception.InnerException is not null && IsOutage(exception.InnerException));

    [LoggerMessage(1, LogLevel.Warning, TrippedLogMessage + "; every Redis touchpoint takes its degraded path for {Seconds} s.")]
    private static partial void LogStalled(ILogger logger, Exception exception, double seconds);
}
