namespace Shop.AppHost;

public static class ProjectResourceExtensions
{
    /// <summary>What every Shop service needs: the shared Redis, its replica count and a real health probe.</summary>
    public static IResourceBuilder<ProjectResource> WithShopDefaults(
        this IResourceBuilder<ProjectResource> project, IResourceBuilder<IResourceWithConnectionString> cache, int replicas) =>
        project
            .WithReplicas(replicas)
            .WithReference(cache).WaitFor(cache)
            .WithHttpHealthCheck("/health");
}
