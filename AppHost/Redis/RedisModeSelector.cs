namespace Shop.AppHost.Redis;

/// <summary>
/// Picks the Redis mode. Every public Aspire sample assumes a container runtime; on machines without one an
/// <c>AddRedis</c> resource leaves every service "Waiting" forever, so <c>auto</c> checks that a runtime
/// really answers before choosing it and otherwise falls back to a local <c>redis-server</c>.
/// </summary>
public static class RedisModeSelector
{
    public const string ConfigurationKey = "Redis:Mode";

    public static RedisModeChoice Choose(string? configuredMode, IRedisHostProbes probes)
    {
        var mode = Parse(configuredMode);
        switch (mode)
        {
            case RedisMode.Container:
                return new(RedisMode.Container, $"{ConfigurationKey} is 'container'.");
            case RedisMode.Local:
                return probes.RedisServerPath() is not null
                    ? new(RedisMode.Local, $"{ConfigurationKey} is 'local'.")
                    : throw new RedisModeException(
                        $"{ConfigurationKey} is 'local' but no redis-server was found on PATH. " + HowToFix);
        }

        if (probes.AnsweringContainerRuntime() is { } runtime)
        {
            return new(RedisMode.Container, $"{ConfigurationKey} is 'auto' and the container runtime '{runtime}' answered.");
        }
        if (probes.RedisServerPath() is { } path)
        {
            return new(RedisMode.Local, $"{ConfigurationKey} is 'auto', no container runtime answered, and redis-server was found at {path}.");
        }
        throw new RedisModeException(
            $"{ConfigurationKey} is 'auto' but neither a container runtime answered nor redis-server is on PATH. " + HowToFix);
    }

    private const string HowToFix =
        "Either start Docker (or Podman) so Redis can run as a container, " +
        "or install Redis locally (Debian/Ubuntu: 'sudo apt-get install redis-server'; macOS: 'brew install redis') " +
        "and run again; set Redis:Mode to 'container' or 'local' to choose explicitly.";

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
            $"{ConfigurationKey} is '{configured}', which is not one of 'auto', 'container' or 'local'.");
    }
}

/// <summary>The AppHost cannot run Redis as configured; the message says how to fix it.</summary>
public sealed class RedisModeException(string message) : Exception(message);
