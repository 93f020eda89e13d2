using Microsoft.Extensions.Configuration;

namespace Shop.AppHost;

public static class ProjectResourceExtensions
{
    /// <summary>
    /// What every Shop service needs: the shared Redis, its replica count, a real health probe, the admin key
    /// for internal writes, the AppHost's <c>RateLimiting</c> and <c>Baseline</c> settings and a "Reset rate limits" dashboard command (limiter counters live in Redis, so
    /// one replica resets them for all).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(
        this IResourceBuilder<ProjectResource> project,
        IResourceBuilder<IResourceWithConnectionString> cache,
        IResourceBuilder<ParameterResource> adminKey,
        int replicas) =>
        project
            .WithReplicas(replicas)
            .WithReference(cache).WaitFor(cache)
            .WithEnvironment("Catalog__AdminApiKey", adminKey)
            .WithHttpHealthCheck("/health")
            .WithConfigurationSection(project.ApplicationBuilder.Configuration.GetSection("RateLimiting"))
            // Demonstration baselines for the benchmark (bench/Shop.Bench); empty, so off, unless set.
            .WithConfigurationSection(project.ApplicationBuilder.Configuration.GetSection("Baseline"))
            .WithAdminCommand("/admin/rate-limits/reset", "Reset rate limits", "reset-rate-limits", adminKey, "ArrowReset");

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
