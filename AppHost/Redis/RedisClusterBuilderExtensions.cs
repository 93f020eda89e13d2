using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Redis;

/// <summary>
/// <c>Redis:Mode=cluster</c>: a real Redis Cluster on loopback, from the machine's <c>redis-server</c>, for a shop that
/// outgrows one Redis node. Each node is a resource of its own (the dashboard shows it, and "Stop" on a master is a
/// real failure the cluster recovers from); a one-shot resource forms the cluster; <c>cache</c> is what services use.
/// </summary>
public static class RedisClusterBuilderExtensions
{
    /// <summary>Slots in a Redis Cluster; a formed cluster has every one of them assigned.</summary>
    private const int SlotCount = 16384;

    /// <summary>
    /// Starts <c>Redis:Cluster:Masters</c> × (1 + <c>Redis:Cluster:ReplicasPerMaster</c>) nodes named <c>{name}-1</c> …
    /// on ports from <c>Redis:Cluster:FirstPort</c> (stable ports, because a node's <c>nodes.conf</c> remembers where its
    /// peers are), each configured as a single local Redis is (<see cref="LocalRedisBuilderExtensions"/>: loopback,
    /// password, AOF in <paramref name="dataDirectory"/><c>/{node}</c>, bounded memory, <c>noeviction</c>) plus:
    /// <list type="bullet">
    /// <item><c>cluster-enabled yes</c>, with the cluster's view kept in the node's own folder;</item>
    /// <item><c>masterauth</c>: a replica authenticates to its master with the same password;</item>
    /// <item><c>cluster-node-timeout</c> <c>Redis:Cluster:NodeTimeout</c>: how long a master may be unreachable before
    /// its replica takes over. Short, so a failover takes seconds, not the default 15 s.</item>
    /// </list>
    /// </summary>
    public static IResourceBuilder<RedisClusterResource> AddRedisCluster(
        this IDistributedApplicationBuilder builder, string name, string redisServerPath, string dataDirectory,
        IResourceBuilder<ParameterResource> password, string memory)
    {
        var settings = builder.Configuration.GetSection("Redis:Cluster");
        var masters = Required<int>(settings, "Masters");
        var replicasPerMaster = Required<int>(settings, "ReplicasPerMaster");
        var firstPort = Required<int>(settings, "FirstPort");
        var nodeTimeout = Required<TimeSpan>(settings, "NodeTimeout");
        var redisCli = Path.Combine(Path.GetDirectoryName(redisServerPath)!, "redis-cli");
        if (!File.Exists(redisCli))
        {
            throw new RedisModeException($"Redis:Mode is 'cluster' but {redisCli}, which forms the cluster, is missing. Install it with redis-server.");
        }

        PrivateDirectory.Create(dataDirectory);
        var nodes = new List<IResourceBuilder<LocalRedisResource>>();
        for (var i = 0; i < masters * (1 + replicasPerMaster); i++)
        {
            nodes.Add(builder.AddLocalRedis($"{name}-{i + 1}", redisServerPath, Path.Combine(dataDirectory, $"node-{i + 1}"),
                password, memory, firstPort + i, context =>
                {
                    context.Args.Add("--cluster-enabled");
                    context.Args.Add("yes");
                    context.Args.Add("--cluster-config-file");
                    context.Args.Add("nodes.conf");
                    context.Args.Add("--cluster-node-timeout");
                    context.Args.Add(((long)nodeTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture));
                    context.Args.Add("--masterauth");
                    context.Args.Add(password.Resource);
                }));
        }

        // Forms the cluster once: assigns the slots to the masters, meets the nodes and makes the rest replicas, then
        // exits. A cluster formed by an earlier run (its nodes.conf files in the data folder) is reused as it is.
        var addresses = string.Join(' ', Enumerable.Range(firstPort, nodes.Count).Select(port => $"127.0.0.1:{port}"));
        var form = builder.AddExecutable($"{name}-form", "/bin/sh", dataDirectory, "-c",
                $"if \"$REDIS_CLI\" -h 127.0.0.1 -p {firstPort} cluster info | grep -q '^cluster_slots_assigned:{SlotCount}'; then " +
                "echo 'The cluster formed by an earlier run is reused.'; exit 0; fi; " +
                $"exec \"$REDIS_CLI\" --cluster create {addresses} --cluster-replicas {replicasPerMaster} --cluster-yes")
            .WithEnvironment("REDIS_CLI", redisCli)
            // redis-cli reads the password from here, so it is not on a command line.
            .WithEnvironment("REDISCLI_AUTH", password);
        var cluster = new RedisClusterResource(name, [.. nodes.Select(node => node.Resource)], password.Resource);
        var clusterBuilder = builder.AddResource(cluster);
        foreach (var node in nodes)
        {
            form.WaitFor(node);
            node.WithParentRelationship(clusterBuilder);
        }
        form.WithParentRelationship(clusterBuilder);

        var healthCheckKey = $"{name}_cluster_state";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(cluster, requireClusterStateOk: true), failureStatus: HealthStatus.Unhealthy, tags: null));

        // A resource without a process: it is "Running" once the cluster is formed, then healthy while the cluster is.
        builder.Eventing.Subscribe<InitializeResourceEvent>(cluster, async (e, cancellationToken) =>
        {
            await e.Notifications.PublishUpdateAsync(cluster, state => state with { State = KnownResourceStates.Waiting });
            await e.Notifications.WaitForDependenciesAsync(cluster, cancellationToken);
            await e.Notifications.PublishUpdateAsync(cluster, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        });
        return clusterBuilder
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "RedisCluster",
                State = KnownResourceStates.NotStarted,
                Properties = [new("nodes", nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            })
            .WaitForCompletion(form)
            .WithHealthCheck(healthCheckKey);
    }

    private static T Required<T>(IConfigurationSection settings, string key) =>
        settings[key] is { Length: > 0 }
            ? settings.GetValue<T>(key)!
            : throw new InvalidOperationException($"{settings.Path}:{key} is not configured.");
}
