using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Asks Redis every <c>RedisClient:ProbeInterval</c> whether it still answers, so that a stall trips
/// <see cref="RedisAvailability"/> after <c>RedisClient:StallAfter</c> whether or not a request is waiting. Without
/// it each process learnt of a stall only from its own first command timeout, and they paid it one after the other:
/// the storefront's first, then the catalog's that the page called next, and a cookieless page took two timeouts.
/// The first answer after a stall closes the breaker again, so every replica uses Redis again as soon as Redis answers
/// instead of a <c>RedisClient:StallBreak</c> later.
/// <para>Not on a Redis Cluster: one PING reaches one node, so a stalled node would trip the breaker for all of them,
/// and a healthy node's answer would close it while the stalled one still holds its slots. There a command's own
/// timeout trips the breaker.</para>
/// </summary>
internal sealed class RedisStallProbe(IConnectionMultiplexer redis, RedisAvailability availability, IConfiguration configuration)
    : BackgroundService
{
    private readonly TimeSpan _interval = Required(configuration, "RedisClient:ProbeInterval", "how often to ask whether Redis answers");
    private readonly TimeSpan _stallAfter = Required(configuration, "RedisClient:StallAfter", "how long a PING may go unanswered");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            // A Redis that is down is known without asking: the multiplexer has no connection.
            if (!redis.IsConnected)
            {
                continue;
            }
            var ping = redis.GetDatabase().PingAsync();
            // The answer is read on the client's own socket threads (RedisClientExtensions), so a busy thread pool
            // delays this check, not the answer: a late check finds the PING answered and trips nothing.
            if (await Task.WhenAny(ping, Task.Delay(_stallAfter, stoppingToken)) != ping && !stoppingToken.IsCancellationRequested)
            {
                availability.NotAnswering(_stallAfter);
            }
            try
            {
                await ping;
                availability.Answered();
            }
            // Whatever went wrong with one PING, the probe goes on: only a timeout trips the breaker (Failed).
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                availability.Failed(ex);
            }
        }
    }

    private static TimeSpan Required(IConfiguration configuration, string key, string what) =>
        configuration.GetValue<TimeSpan?>(key) ?? throw new InvalidOperationException($"{key} ({what}) is not configured.");
}
