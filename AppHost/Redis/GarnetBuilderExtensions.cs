using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.AppHost.Redis;

/// <summary>
/// Microsoft Garnet, a Redis-compatible server written in .NET, hosted by <c>Garnet/Shop.Garnet.csproj</c>: the
/// Redis Shop runs when the machine has neither a container runtime nor <c>redis-server</c>, so the .NET SDK is all
/// it needs. A real separate process (a project resource), so the dashboard can stop and start it and the
/// reliability tests can kill it exactly as they kill <c>redis-server</c>.
/// </summary>
public sealed class GarnetResource(string name, ParameterResource password) : ProjectResource(name), IResourceWithConnectionString
{
    public ParameterResource PasswordParameter { get; } = password;

    public EndpointReference PrimaryEndpoint => field ??= new(this, LocalRedisResource.PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => LocalRedisResource.ConnectionString(PrimaryEndpoint, PasswordParameter);
}

public static class GarnetBuilderExtensions
{
    /// <summary>
    /// Garnet configured the way Shop needs Redis. The flags, and why each, are in Garnet/Program.cs, the one place
    /// that sets them; in short: loopback only, the <c>cache-password</c> required (handed over in
    /// <c>GARNET_PASSWORD</c>, so it is not on the command line), Lua scripts run as transactions (otherwise carts
    /// lose updates and limits over-admit), an append-only file committed on every write and a checkpoint in
    /// <paramref name="dataDirectory"/> recovered at start (carts, orders, tickets and the key ring survive a
    /// restart), the main log spilled to that folder rather than evicted, .NET's own file I/O, and memory bounded by
    /// <paramref name="memory"/> (main log) and <paramref name="indexSize"/> (index).
    /// </summary>
    public static IResourceBuilder<GarnetResource> AddGarnet(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory,
        IResourceBuilder<ParameterResource> password, string memory, string indexSize, int? port = null)
    {
        PrivateDirectory.Create(dataDirectory);
        var garnet = new GarnetResource(name, password.Resource);
        var healthCheckKey = $"{name}_ping";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheckKey, _ => new RedisPingHealthCheck(garnet), failureStatus: HealthStatus.Unhealthy, tags: null));

        // AddProject<T> always builds a plain ProjectResource; a project that is also a connection-string resource is
        // added the way AddProject does it internally, which Aspire marks as an evaluation API.
#pragma warning disable ASPIREPROJECTS001
        var project = builder.AddResource(garnet)
            .WithAnnotation(new Projects.Shop_Garnet())
            .WithProjectDefaults(new ProjectResourceOptions { ExcludeLaunchProfile = true });
#pragma warning restore ASPIREPROJECTS001

        // Not proxied, for the reason given in LocalRedisBuilderExtensions: clients must see an outage.
        return project
            .WithEndpoint(port: port ?? LoopbackPorts.Next(), name: LocalRedisResource.PrimaryEndpointName,
                scheme: "tcp", isProxied: false)
            .WithEnvironment("GARNET_PASSWORD", password)
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(garnet.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                context.Args.Add("--memory");
                context.Args.Add(memory);
                context.Args.Add("--index");
                context.Args.Add(indexSize);
            })
            .WithHealthCheck(healthCheckKey);
    }
}
