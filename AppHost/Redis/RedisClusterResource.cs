namespace Shop.AppHost.Redis;

/// <summary>
/// The <c>cache</c> resource of a Redis Cluster: no process of its own, but the connection string every service gets
/// (every node as a seed, so a client that finds its first seed down still finds the cluster) and a health check that
/// is healthy only while the cluster says <c>cluster_state:ok</c>. Its nodes are <see cref="LocalRedisResource"/>s.
/// </summary>
public sealed class RedisClusterResource(string name, IReadOnlyList<LocalRedisResource> nodes, ParameterResource password)
    : Resource(name), IResourceWithConnectionString, IResourceWithWaitSupport
{
    public IReadOnlyList<LocalRedisResource> Nodes { get; } = nodes;

    public ParameterResource PasswordParameter { get; } = password;

    public ReferenceExpression ConnectionStringExpression
    {
        get
        {
            var builder = new ReferenceExpressionBuilder();
            foreach (var node in Nodes)
            {
                // 127.0.0.1, not "localhost": the nodes announce themselves so in CLUSTER NODES, and a client given
                // "localhost" would hold a second entry for every seed (and try ::1 first, where nothing listens).
                var endpoint = node.PrimaryEndpoint;
                builder.Append($"{endpoint.Property(EndpointProperty.IPV4Host)}:{endpoint.Property(EndpointProperty.Port)},");
            }
            builder.Append($"password={PasswordParameter}");
            return builder.Build();
        }
    }
}
