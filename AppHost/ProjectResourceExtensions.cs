using Microsoft.Extensions.Configuration;

namespace Shop.AppHost;

public static class ProjectResourceExtensions
{
    /// <summary>
    /// Configuration sections set once on the AppHost (appsettings, command line or a test) and handed to every
    /// replica of every service: limits, demonstration baselines (off unless set) and the bench's diagnostics (off
    /// unless set).
    /// </summary>
    public static readonly string[] SharedSections = ["RateLimiting", "Baseline", "Diagnostics"];

    /// <summary>
    /// What every Shop service needs: the shared Redis, its replica count, a real health probe, the environment the
    /// AppHost runs in, and the <see cref="SharedSections"/>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> cache, int replicas)
    {
        if (replicas > 1)
        {
            project.WithReplicas(replicas);
        }
        return project
            .WithSharedConfiguration(SharedSections)
            .WithReference(cache).WaitFor(cache)
            .WithEnvironment("ASPNETCORE_ENVIRONMENT", project.ApplicationBuilder.Environment.EnvironmentName)
            // Aspire turns on ASP.NET's forwarded-headers start-up filter, which trusts X-Forwarded-For from any
            // peer: every client could forge its address and dodge the per-client limits. The storefront believes
            // forwarded headers only from the gateway (GatewayTrust) instead.
            .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "false")
            .WithHttpHealthCheck("/health");
    }

    /// <summary>
    /// Hands sections of the AppHost's configuration to the service as environment variables, so limits and similar
    /// settings are set in one place (appsettings, command line, or a test) for every replica alike.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSharedConfiguration(this IResourceBuilder<ProjectResource> project, params string[] sections)
    {
        foreach (var section in sections)
        {
            foreach (var (key, value) in project.ApplicationBuilder.Configuration.GetSection(section).AsEnumerable())
            {
                if (value is not null)
                {
                    project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
                }
            }
        }
        return project;
    }

    /// <summary>A generated secret parameter (kept in the AppHost's user secrets; <c>Parameters:{name}</c> supplies your own).</summary>
    public static IResourceBuilder<ParameterResource> AddSecret(this IDistributedApplicationBuilder builder, string name) =>
        // No special characters: a secret may travel in a header or a connection string.
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 48, Special = false }, secret: true, persist: true);

    /// <summary>
    /// A generated certificate kept as a secret parameter (<see cref="CertificateParameterDefault"/>), persisted in the
    /// AppHost's user secrets so it survives restarts (the key ring it encrypts is in Redis and survives them too).
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddCertificateSecret(this IDistributedApplicationBuilder builder, string name, TimeSpan validFor) =>
        builder.AddParameter(name, new CertificateParameterDefault("Shop " + name, validFor), secret: true, persist: true);

    /// <summary>Hands one secret to the service under its configuration key (<c>Admin:ApiKey</c> → <c>Admin__ApiKey</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithSecret(
        this IResourceBuilder<ProjectResource> project, string configurationKey, IResourceBuilder<ParameterResource> secret) =>
        project.WithEnvironment(configurationKey.Replace(":", "__", StringComparison.Ordinal), secret);

    /// <summary>
    /// One storefront replica: resource <c>web-frontend-{n}</c>, with an address of its own on loopback (not behind
    /// the AppHost's proxy), reachable only through the gateway in the sense that only the gateway's requests are
    /// believed about the client.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddStorefrontReplica(this IDistributedApplicationBuilder builder, int replica) =>
        builder.AddProject<Projects.Web_Frontend>($"web-frontend-{replica}", options => options.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(port: LoopbackPorts.Next(), isProxied: false);

    /// <summary>Adds the storefront replica to the gateway's cluster (found by service discovery as <c>http://{name}</c>).</summary>
    public static IResourceBuilder<ProjectResource> BalancesTo(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<ProjectResource> storefront) =>
        gateway.WithReference(storefront).WaitFor(storefront)
            .WithEnvironment($"ReverseProxy__Clusters__storefront__Destinations__{storefront.Resource.Name}__Address",
                $"http://{storefront.Resource.Name}");
}
