using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>The answer of <c>POST /admin/rate-limits/reset</c>.</summary>
public sealed record RateLimitResetResult(long Deleted);

internal static class RateLimitAdminEndpoint
{
    public const string Path = "/admin/rate-limits/reset";
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AdminKeyConfig = "Catalog:AdminApiKey";

    private const int PageSize = 250;

    public static async Task<Results<JsonHttpResult<RateLimitResetResult>, ProblemHttpResult>> ResetAsync(
        HttpContext context, IConfiguration configuration, IConnectionMultiplexer redis)
    {
        var configured = configuration[AdminKeyConfig];
        var presented = context.Request.Headers[ApiKeyHeader].ToString();
        if (string.IsNullOrEmpty(configured))
        {
            // No key configured means nobody may reset, rather than everybody.
            return TypedResults.Problem("No admin API key is configured on this service.", statusCode: StatusCodes.Status403Forbidden);
        }
        if (presented.Length == 0)
        {
            return TypedResults.Problem($"The {ApiKeyHeader} header is required.", statusCode: StatusCodes.Status401Unauthorized);
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(configured)))
        {
            return TypedResults.Problem($"The {ApiKeyHeader} header is not valid.", statusCode: StatusCodes.Status403Forbidden);
        }

        var deleted = await DeleteLimiterKeysAsync(redis, context.RequestAborted);
        return TypedResults.Json(new RateLimitResetResult(deleted), RateLimitingJsonContext.Default.RateLimitResetResult);
    }

    // SCAN, never KEYS: KEYS blocks Redis for every client while it walks the whole keyspace. UNLINK frees
    // memory off the main thread. One UNLINK per key (pipelined) stays valid on a cluster, where a
    // multi-key command must not span hash slots.
    private static async Task<long> DeleteLimiterKeysAsync(IConnectionMultiplexer redis, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        long deleted = 0;
        foreach (var server in redis.GetServers().Where(server => server.IsConnected && !server.IsReplica))
        {
            var page = new List<Task<RedisResult>>(PageSize);
            await foreach (var key in server.KeysAsync(database.Database, RateLimitKeys.Pattern, PageSize).WithCancellation(cancellationToken))
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
