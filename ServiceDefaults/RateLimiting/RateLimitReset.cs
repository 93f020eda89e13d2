using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>The answer of <c>POST /admin/rate-limits/reset</c>.</summary>
public sealed record RateLimitResetResult(long Deleted);

/// <summary>
/// Deletes every limiter key of every policy and service: the counters live in Redis, so one call on one
/// replica resets them for all (the dashboard's "Reset rate limits" command).
/// </summary>
internal static class RateLimitReset
{
    public const string Path = "/admin/rate-limits/reset";

    private const int PageSize = 250;

    public static async Task<JsonHttpResult<RateLimitResetResult>> ResetAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken) =>
        TypedResults.Json(new RateLimitResetResult(await DeleteLimiterKeysAsync(redis, cancellationToken)),
            RateLimitingJsonContext.Default.RateLimitResetResult);

    // SCAN, never KEYS: KEYS blocks Redis for every client while it walks the whole keyspace. UNLINK frees
    // memory off the main thread. One UNLINK per key (pipelined) stays valid on a cluster, where a multi-key
    // command must not span hash slots; every master is scanned, since each holds its own slots.
    private static async Task<long> DeleteLimiterKeysAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        long deleted = 0;
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            var page = new List<Task<RedisResult>>(PageSize);
            await foreach (var key in server.KeysAsync(database.Database, RateLimitPartitions.KeyPattern, PageSize).WithCancellation(cancellationToken))
            {
                page.Add(database.ExecuteAsync("UNLINK", key));
                if (page.Count == PageSize)
                {
                    deleted += await CountAsync(page);
                }
            }
            deleted += await CountAsync(page);
        }
        return deleted;
    }

    private static async Task<long> CountAsync(List<Task<RedisResult>> unlinks)
    {
        var results = await Task.WhenAll(unlinks);
        unlinks.Clear();
        return results.Sum(result => (long)result);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(RateLimitResetResult))]
internal sealed partial class RateLimitingJsonContext : JsonSerializerContext;
