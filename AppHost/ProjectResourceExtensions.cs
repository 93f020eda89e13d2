using Microsoft.Extensions.Configuration;

namespace Shop.AppHost;

public static class ProjectResourceExtensions
{
    /// <summary>
    /// Configuration sections set once on the AppHost (appsettings, command line or a test) and handed to every
    /// replica of every service: limits, demonstration baselines (off unless set) and trusted proxies.
    /// </summary>
    public static readonly string[] SharedSections = ["RateLimiting", "Baseline", "ForwardedHeaders"];

    /// <summary>
    /// What every Shop service needs: the shared Redis, its replica count, a real health probe, the admin key
    /// for internal writes, the <see cref="SharedSections"/> and a "Reset rate limits" dashboard command
    /// (limiter counters live in Redis, so one replica resets them for all).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(
        this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<IResourceWithConnectionString> cache,
        IResourceBuilder<ParameterResource> adminKey,
        int replicas)
    {
        foreach (var section in SharedSections)
        {
            project.WithConfigurationSection(project.ApplicationBuilder.Configuration.GetSection(section));
        }
        return project
            .WithReplicas(replicas)
            .WithReference(cache).WaitFor(cache)
            .WithEnvironment("Admin__ApiKey", adminKey)
            // Aspire turns on ASP.NET's forwarded-headers start-up filter, which trusts X-Forwarded-For from any
            // peer. Behind the AppHost's TCP proxy that lets every shopper forge their address (and dodge
            // per-client limits); the storefront trusts only the proxies it is configured with instead.
            .WithEnvironment("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "false")
            .WithHttpHealthCheck("/health")
            .WithAdminCommand("/admin/rate-limits/reset", "Reset rate limits", "reset-rate-limits", adminKey, "ArrowReset");
    }

    /// <summary>
    /// Hands a section of the AppHost's configuration to the service as environment variables, so limits and
    /// similar settings are set in one place (appsettings, command line, or a test) for every replica alike.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithConfigurationSection(
        this IResourceBuilder<ProjectResource> project, IConfigurationSection section)
    {
        foreach (var (key, value) in section.AsEnumerable())
        {
            if (value is not null)
            {
                project.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }
        return project;
    }
}
