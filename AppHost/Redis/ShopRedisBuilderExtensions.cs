using Microsoft.Extensions.Configuration;

namespace Shop.AppHost.Redis;

public static class ShopRedisBuilderExtensions
{
    public const string ResourceName = "cache";

    /// <summary>
    /// What Redis does when it reaches <c>Redis:MaxMemory</c>: refuse writes, never drop a key. Every Shop key has a TTL,
    /// so any <c>volatile-*</c> or <c>allkeys-*</c> policy could evict a cart, an order, a sign-in ticket or the key ring
    /// to make room for a cached page. A full Redis is instead a 503 on the writes it refuses (RedisAvailability), and
    /// cached pages simply stop being stored.
    /// </summary>
    public const string EvictionPolicy = "noeviction";

    /// <summary>
    /// Starts the one Redis every replica of every service shares: a container, the local <c>redis-server</c>, or the
    /// embedded Garnet (see <see cref="RedisModeSelector"/>), with a generated, persisted password. (Services connect
    /// to it with <c>AddShopRedisClient</c>.)
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddShopRedisServer(
        this IDistributedApplicationBuilder builder, IRedisHostProbes? probes = null)
    {
        probes ??= new MachineRedisHostProbes();
        var choice = RedisModeSelector.Choose(builder.Configuration[RedisModeSelector.ConfigurationKey], probes);
        // The AppHost's logger is not built yet; the console is where a developer looks at start.
        Console.WriteLine($"Shop: Redis runs in '{choice.Mode.ToString().ToLowerInvariant()}' mode. {choice.Reason} {RedisModeSelector.Alternatives}");

        var password = builder.AddParameter(
            $"{ResourceName}-password",
            // No special characters: StackExchange.Redis connection strings cannot carry commas.
            new GenerateParameterDefault { MinLength = 24, Special = false },
            secret: true,
            persist: true);

        if (choice.Mode == RedisMode.Container)
        {
            return builder.AddRedis(ResourceName, password: password)
                .WithDataVolume("shop-redis-data")
                .WithAppendOnlyFile(MaxMemory(builder));
        }

        // The data of each mode in a folder of its own (git-ignored): Garnet's files are not Redis's.
        var dataDirectory = builder.Configuration["Redis:DataPath"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured, builder.AppHostDirectory)
            : Path.Combine(builder.AppHostDirectory, ".data", choice.Mode.ToString().ToLowerInvariant() switch { "local" => "redis", var mode => mode });
        var port = int.TryParse(builder.Configuration["Redis:Port"], out var p) ? p : (int?)null;
        if (choice.Mode == RedisMode.Garnet)
        {
            var garnet = builder.Configuration.GetSection("Redis:Garnet");
            return builder.AddGarnet(ResourceName, dataDirectory, password,
                memory: garnet["Memory"] ?? throw new InvalidOperationException("Redis:Garnet:Memory is not configured."),
                indexSize: garnet["IndexSize"] ?? throw new InvalidOperationException("Redis:Garnet:IndexSize is not configured."),
                port);
        }
        if (choice.Mode == RedisMode.Cluster)
        {
            return builder.AddRedisCluster(ResourceName, probes.RedisServerPath()!, dataDirectory, password, MaxMemory(builder));
        }
        return builder.AddLocalRedis(ResourceName, probes.RedisServerPath()!, dataDirectory, password, MaxMemory(builder), port);
    }

    private static string MaxMemory(IDistributedApplicationBuilder builder) =>
        builder.Configuration["Redis:MaxMemory"] is { Length: > 0 } memory
            ? memory
            : throw new InvalidOperationException("Redis:MaxMemory (e.g. 512mb) is not configured.");

    /// <summary>
    /// Aspire's Redis container runs <c>/bin/sh -c "redis-server ..."</c> and offers only RDB snapshots;
    /// append the AOF and memory flags to that one command string so both modes persist and fill up the same way.
    /// </summary>
    private static IResourceBuilder<RedisResource> WithAppendOnlyFile(this IResourceBuilder<RedisResource> redis, string memory) =>
        redis.WithArgs(context =>
        {
            var script = context.Args.Count - 1;
            if (script >= 1 && context.Args[script - 1] is "-c" && context.Args[script] is string command)
            {
                context.Args[script] = command + $" --appendonly yes --appendfsync everysec --maxmemory {memory} --maxmemory-policy {EvictionPolicy}";
            }
        });
}
