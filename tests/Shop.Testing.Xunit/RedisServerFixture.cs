using Xunit;

namespace Shop.Testing;

/// <summary>
/// A private <see cref="RedisServer"/> per test class (<c>IClassFixture&lt;RedisServerFixture&gt;</c>). xunit v3's
/// <see cref="IAsyncLifetime"/> is an <see cref="IAsyncDisposable"/>, so <see cref="RedisServer.DisposeAsync"/> already ends it.
/// </summary>
public sealed class RedisServerFixture : RedisServer, IAsyncLifetime
{
    ValueTask IAsyncLifetime.InitializeAsync() => new(StartAsync());
}
