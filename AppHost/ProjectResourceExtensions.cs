namespace Shop.AppHost;

public static class ProjectResourceExtensions
{
    /// <summary>
    /// What every Shop service needs: the shared Redis, its replica count, a real health probe, the admin key
    /// for internal writes and a "Reset rate limits" dashboard command (limiter counters live in Redis, so
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
            .WithAdminCommand("/admin/rate-limits/reset", "Reset rate limits", "reset-rate-limits", adminKey, "ArrowReset");
}
