using Xunit;

namespace Shop.Testing;

/// <summary>A private <see cref="RedisServer"/> per test class (<c>IClassFixture&lt;RedisServerFixture&gt;</c>).</summary>
public sealed class RedisServerFixture : RedisServer, IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
