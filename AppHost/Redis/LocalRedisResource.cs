namespace Shop.AppHost.Redis;

/// <summary>
/// The machine's own <c>redis-server</c> as an Aspire resource: an executable that projects can
/// <c>WithReference</c> like the container, because it hands out the same kind of connection string.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string dataDirectory, ParameterResource password)
    : ExecutableResource(name, command, dataDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public string DataDirectory { get; } = dataDirectory;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ConnectionString(PrimaryEndpoint, PasswordParameter);

    /// <summary>What services receive as <c>ConnectionStrings:cache</c> for a Redis the AppHost runs on this machine.</summary>
    public static ReferenceExpression ConnectionString(EndpointReference endpoint, ParameterResource password) => ReferenceExpression.Create(
        $"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)},password={password}");
}
