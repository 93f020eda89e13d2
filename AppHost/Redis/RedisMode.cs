namespace Shop.AppHost.Redis;

/// <summary>How the AppHost runs the one Redis every replica shares (configuration key <c>Redis:Mode</c>).</summary>
public enum RedisMode
{
    /// <summary>A container runtime that answers → container; else <c>redis-server</c> on PATH → local; else Garnet.</summary>
    Auto,
    /// <summary>The Redis container image (Aspire.Hosting.Redis).</summary>
    Container,
    /// <summary>The machine's own <c>redis-server</c> executable, on loopback.</summary>
    Local,
    /// <summary>Microsoft Garnet, embedded in Shop (Garnet/Shop.Garnet.csproj): needs nothing but the .NET SDK.</summary>
    Garnet,
    /// <summary>A Redis Cluster of the machine's <c>redis-server</c> nodes on loopback (never chosen by <c>auto</c>).</summary>
    Cluster,
}

/// <summary>The mode chosen and the sentence the AppHost logs to say why.</summary>
public sealed record RedisModeChoice(RedisMode Mode, string Reason);

/// <summary>What the mode choice needs to know about the machine; real probes in production, fakes in tests.</summary>
public interface IRedisHostProbes
{
    /// <summary>The container runtime that really answers (not just a client on PATH), or null.</summary>
    string? AnsweringContainerRuntime();

    /// <summary>The full path of <c>redis-server</c> on PATH, or null.</summary>
    string? RedisServerPath();
}
