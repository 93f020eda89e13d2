using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Redis;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Runs <paramref name="redisServerPath"/> bound to 127.0.0.1 only, with a password and append-only-file
    /// persistence in <paramref name="dataDirectory"/> (readable by this user only), so carts, tickets and the Data
    /// Protection ring survive a Redis restart exactly as they would in the container. Memory is bounded by
    /// <paramref name="memory"/> with <c>noeviction</c> (<see cref="ShopRedisBuilderExtensions.EvictionPolicy"/>).
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder,
        string name,
        string redisServerPath,
        string dataDirectory,
        IResourceBuilder<ParameterResource> password,
        string memory,
        int? port = null,
        Action<CommandLineArgsCallbackContext>? moreArgs = null)
    {
        PrivateDirectory.Create(dataDirectory);
        var redis = new LocalRedisResource(name, redisServerPath, dataDirectory, password.Resource);

        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(redis), failureStatus: HealthStatus.Unhealthy, tags: null));

        // Not proxied: the DCP proxy would listen on its own and keep accepting connections while Redis is
        // down, hiding the outage from clients, and it costs a hop on every command. So the port is chosen
        // here, on loopback, and given to redis-server directly.
        return builder.AddResource(redis)
            .WithEndpoint(port: port ?? LoopbackPorts.Next(), name: LocalRedisResource.PrimaryEndpointName,
                scheme: "tcp", isProxied: false)
            .WithArgs(context =>
            {
                var endpoint = redis.PrimaryEndpoint;
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--port");
                context.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--protected-mode");
                context.Args.Add("yes");
                context.Args.Add("--requirepass");
                context.Args.Add(redis.PasswordParameter);
                context.Args.Add("--dir");
                context.Args.Add(redis.DataDirectory);
                context.Args.Add("--appendonly");
                context.Args.Add("yes");
                context.Args.Add("--appendfsync");
                context.Args.Add("everysec");
                context.Args.Add("--maxmemory");
                context.Args.Add(memory);
                context.Args.Add("--maxmemory-policy");
                context.Args.Add(ShopRedisBuilderExtensions.EvictionPolicy);
                context.Args.Add("--daemonize");
                context.Args.Add("no");
                moreArgs?.Invoke(context);
            })
            .WithHealthCheck(healthCheckKey);
    }
}
