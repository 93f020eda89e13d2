using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Turns a request into its policy's partition: the library's Redis limiter for the policy-prefixed key,
/// inside the fallback decorator. The framework caches the limiter per (policy, key), so this runs per
/// request but creates a limiter only for a partition it has not seen recently.
/// </summary>
internal sealed class ShopRateLimitPartitions(
    IServiceProvider services, IOptionsMonitor<ShopRateLimitingOptions> settings, ILoggerFactory loggerFactory,
    RateLimitingBaseline baseline)
{
    private readonly ConcurrentDictionary<string, RedisOutage> _outages = new(StringComparer.Ordinal);
    private readonly Lazy<IConnectionMultiplexer> _redis = new(services.GetRequiredService<IConnectionMultiplexer>);

    public RateLimitPartition<string> For(PolicyRegistration policy, HttpContext context) =>
        policy.PartitionBy?.Invoke(context) is { } partition
            ? For(policy, partition)
            : RateLimitPartition.GetNoLimiter("");

    /// <summary>The partition for a value computed elsewhere (by the endpoint policy or by hand).</summary>
    public RateLimitPartition<string> For(PolicyRegistration policy, string partition)
    {
        if (!settings.CurrentValue.Enabled)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var key = RateLimitKeys.Partition(policy.Name, partition);
        var options = policy.Options(services);
        if (baseline.InMemory)
        {
            return RateLimitPartition.Get(key,
                _ => new PerReplicaBaselineRateLimiter(options.CreateLocalLimiter(), options, policy.Name));
        }
        return RateLimitPartition.Get(key, partitionKey =>
        {
            var redis = _redis.Value;
            var redisLimiter = options.RedisPartition(partitionKey, () => redis).Factory(partitionKey);
            var outage = _outages.GetOrAdd(policy.Name,
                name => new RedisOutage(name, loggerFactory.CreateLogger("Shop.RateLimiting")));
            return new RedisFallbackRateLimiter(redisLimiter, options, policy.Name, () => redis.IsConnected, outage);
        });
    }
}

/// <summary>Whether the DEMONSTRATION switch <c>Baseline:InMemoryRateLimiter</c> is on (see <see cref="PerReplicaBaselineRateLimiter"/>).</summary>
internal sealed record RateLimitingBaseline(bool InMemory);
