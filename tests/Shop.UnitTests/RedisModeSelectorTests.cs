using Shop.AppHost.Redis;

namespace Shop.UnitTests;

public sealed class RedisModeSelectorTests
{
    private sealed record Probes(string? Runtime, string? RedisServer) : IRedisHostProbes
    {
        public int RuntimeProbes { get; private set; }
        public string? AnsweringContainerRuntime() { RuntimeProbes++; return Runtime; }
        public string? RedisServerPath() => RedisServer;
    }

    [Fact]
    public void AutoPicksTheContainerWhenARuntimeAnswers()
    {
        var choice = RedisModeSelector.Choose("auto", new Probes("docker", "/usr/bin/redis-server"));

        Assert.Equal(RedisMode.Container, choice.Mode);
        Assert.Contains("docker", choice.Reason);
    }

    [Fact]
    public void AutoPicksLocalRedisWhenNoRuntimeAnswers()
    {
        var choice = RedisModeSelector.Choose(null, new Probes(null, "/usr/bin/redis-server"));

        Assert.Equal(RedisMode.Local, choice.Mode);
        Assert.Contains("/usr/bin/redis-server", choice.Reason);
    }

    [Fact]
    public void AutoPicksTheEmbeddedGarnetWhenNeitherARuntimeNorRedisServerIsThere()
    {
        var choice = RedisModeSelector.Choose("", new Probes(null, null));

        Assert.Equal(RedisMode.Garnet, choice.Mode);
        Assert.Contains("Garnet", choice.Reason);
    }

    [Fact]
    public void ExplicitGarnetModeProbesNothing()
    {
        var probes = new Probes("docker", "/usr/bin/redis-server");

        Assert.Equal(RedisMode.Garnet, RedisModeSelector.Choose("garnet", probes).Mode);
        Assert.Equal(0, probes.RuntimeProbes);
    }

    [Fact]
    public void TheSentenceThatNamesTheModeSaysHowToGetEachOfTheOthers()
    {
        Assert.Contains("'container'", RedisModeSelector.Alternatives);
        Assert.Contains("'local'", RedisModeSelector.Alternatives);
        Assert.Contains("'garnet'", RedisModeSelector.Alternatives);
        Assert.Contains("'cluster'", RedisModeSelector.Alternatives);
    }

    [Fact]
    public void ClusterModeIsNeverChosenByAutoAndNeverProbesForAContainerRuntime()
    {
        var probes = new Probes("docker", "/usr/bin/redis-server");

        Assert.Equal(RedisMode.Container, RedisModeSelector.Choose("auto", probes).Mode);
        var before = probes.RuntimeProbes;
        Assert.Equal(RedisMode.Cluster, RedisModeSelector.Choose("cluster", probes).Mode);
        Assert.Equal(before, probes.RuntimeProbes);
    }

    [Fact]
    public void ClusterModeWithoutRedisServerFailsClearly()
    {
        var error = Assert.Throws<RedisModeException>(() => RedisModeSelector.Choose("cluster", new Probes(null, null)));

        Assert.Contains("redis-server", error.Message);
        Assert.Contains("cluster", error.Message);
    }

    [Fact]
    public void ExplicitLocalModeNeverProbesForAContainerRuntime()
    {
        var probes = new Probes("docker", "/usr/bin/redis-server");

        var choice = RedisModeSelector.Choose("Local", probes);

        Assert.Equal(RedisMode.Local, choice.Mode);
        Assert.Equal(0, probes.RuntimeProbes);
    }

    [Fact]
    public void ExplicitLocalModeWithoutRedisServerFailsClearly()
    {
        var error = Assert.Throws<RedisModeException>(() => RedisModeSelector.Choose("local", new Probes("docker", null)));

        Assert.Contains("redis-server", error.Message);
        Assert.Contains("garnet", error.Message);
    }

    [Fact]
    public void ExplicitContainerModeIsTakenAsGiven()
    {
        Assert.Equal(RedisMode.Container, RedisModeSelector.Choose("container", new Probes(null, null)).Mode);
    }

    [Theory]
    [InlineData("kubernetes")]
    [InlineData("2")]
    public void AnUnknownModeIsRejectedWithTheAllowedValues(string mode)
    {
        var error = Assert.Throws<RedisModeException>(() => RedisModeSelector.Choose(mode, new Probes("docker", "/x")));

        Assert.Contains("'auto', 'container', 'local', 'garnet' or 'cluster'", error.Message);
    }
}
