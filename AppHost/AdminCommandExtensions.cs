namespace Shop.AppHost;

public static class AdminCommandExtensions
{
    /// <summary>
    /// A dashboard button that POSTs to an admin endpoint of the service with the admin key, so operators get
    /// one-click actions without the key ever leaving the AppHost. Any replica will do: the state it acts on
    /// (cache entries, limiter counters) lives in the shared Redis.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithAdminCommand(
        this IResourceBuilder<ProjectResource> project, string path, string displayName, string commandName,
        IResourceBuilder<ParameterResource> adminKey, string iconName) =>
        project.WithHttpCommand(path, displayName, commandName: commandName, commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            IconName = iconName,
            PrepareRequest = async context =>
                context.Request.Headers.Add("X-Api-Key", await adminKey.Resource.GetValueAsync(context.CancellationToken)),
        });
}
