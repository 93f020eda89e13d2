namespace Shop.AppHost.Redis;

/// <summary>
/// Picks the Redis mode. Every public Aspire sample assumes a container runtime; on a machine without one an
/// <c>AddRedis</c> resource leaves every service "Waiting" forever. So <c>auto</c> takes the container only when a
/// runtime really answers, else the machine's <c>redis-server</c>, else the embedded Garnet: it never fails for
/// lack of an installed server.
/// </summary>
public static class RedisModeSelector
{
    public const string ConfigurationKey = "Redis:Mode";

    /// <summary>Said with every choice, so whoever reads the console knows how to get the others.</summary>
    public const string Alternatives =
        "Set Redis:Mode to 'container' (Docker or Podman), 'local' (redis-server on PATH), 'garnet' (embedded, needs nothing) " +
        "or 'cluster' (a Redis Cluster of local redis-server nodes) to choose.";

    public static RedisModeChoice Choose(string? configuredMode, IRedisHostProbes probes)
    {
        switch (Parse(configuredMode))
        {
            case RedisMode.Container:
                return new(RedisMode.Container, $"{ConfigurationKey} is 'container'.");
            case RedisMode.Local:
                return WithRedisServer(RedisMode.Local, probes, "or use 'garnet' or 'auto'");
            case RedisMode.Garnet:
                return new(RedisMode.Garnet, $"{ConfigurationKey} is 'garnet'.");
            case RedisMode.Cluster:
                return WithRedisServer(RedisMode.Cluster, probes, "which runs the cluster's nodes");
        }

        if (probes.AnsweringContainerRuntime() is { } runtime)
        {
            return new(RedisMode.Container, $"{ConfigurationKey} is 'auto' and the container runtime '{runtime}' answered.");
        }
        if (probes.RedisServerPath() is { } path)
        {
            return new(RedisMode.Local, $"{ConfigurationKey} is 'auto', no container runtime answered, and redis-server was found at {path}.");
        }
        return new(RedisMode.Garnet,
            $"{ConfigurationKey} is 'auto', no container runtime answered and no redis-server is on PATH, so Shop runs its embedded Garnet.");
    }

    /// <summary>A mode that runs the machine's <c>redis-server</c>: taken as given when it is on PATH, else a clear error.</summary>
    private static RedisModeChoice WithRedisServer(RedisMode mode, IRedisHostProbes probes, string hint)
    {
        var name = mode.ToString().ToLowerInvariant();
        return probes.RedisServerPath() is not null
            ? new(mode, $"{ConfigurationKey} is '{name}'.")
            : throw new RedisModeException(
                $"{ConfigurationKey} is '{name}' but no redis-server was found on PATH. Install Redis (Debian/Ubuntu: " +
                $"'sudo apt-get install redis-server'; macOS: 'brew install redis'), {hint}.");
    }

    private static RedisMode Parse(string? configured)
    {
        if (string.IsNullOrWhiteSpace(configured))
        {
            return RedisMode.Auto;
        }
        foreach (var mode in Enum.GetValues<RedisMode>())
        {
            if (mode.ToString().Equals(configured.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }
        throw new RedisModeException(
            $"{ConfigurationKey} is '{configured}', which is not one of 'auto', 'container', 'local', 'garnet' or 'cluster'.");
    }
}

/// <summary>The AppHost cannot run Redis as configured; the message says how to fix it.</summary>
public sealed class RedisModeException(string message) : Exception(message);
