using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.AppHost.Redis;

/// <summary>
/// Healthy when an authenticated PING succeeds, so services that <c>WaitFor</c> Redis start only once it
/// accepts their password. One lazily made connection, re-made if Redis was restarted on another port.
/// </summary>
internal sealed class RedisPingHealthCheck(IResourceWithConnectionString redis) : IHealthCheck, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (string ConnectionString, ConnectionMultiplexer Connection)? _current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connectionString = await redis.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The Redis connection string is not available yet.");
            var connection = await ConnectAsync(connectionString).ConfigureAwait(false);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:F1} ms.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer an authenticated PING.", ex);
        }
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_current is { } current && current.ConnectionString == connectionString)
            {
                return current.Connection;
            }
            if (_current is { } stale)
            {
                await stale.Connection.DisposeAsync().ConfigureAwait(false);
            }
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            options.ConnectTimeout = 2_000;
            // Report Redis healthy within a second or two of it being back, however long it was away.
            options.ReconnectRetryPolicy = new LinearRetry(1_000);
            var connection = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            _current = (connectionString, connection);
            return connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is { } current)
        {
            await current.Connection.DisposeAsync().ConfigureAwait(false);
        }
        _gate.Dispose();
    }
}
