using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Creates the process's multiplexer at start-up rather than inside the first limited request. Otherwise
/// the first burst after a deploy waits on the synchronous connect, starves the thread pool, times out
/// against Redis and is counted by the per-replica fallback: exactly when limits matter most.
/// </summary>
internal sealed class RedisConnectionWarmup(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // AddShopRedis sets AbortOnConnectFail=false: with Redis down this returns after the connect
        // timeout and the multiplexer keeps retrying in the background.
        services.GetRequiredService<IConnectionMultiplexer>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
