using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Shop.AppHost.Redis;

/// <summary>
/// Healthy when an authenticated PING of the server the connection string names first succeeds, so services that
/// <c>WaitFor</c> Redis start only once it accepts their password (a cluster node is asked itself, not whichever node
/// the client would route to). For a cluster's <c>cache</c> resource (<paramref name="requireClusterStateOk"/>), only
/// while the cluster reports <c>cluster_state:ok</c>: every slot served. One lazily made connection, re-made if Redis
/// was restarted on another port.
/// </summary>
internal sealed class RedisPingHealthCheck(IResourceWithConnectionString redis, bool requireClusterStateOk = false) : IHealthCheck, IAsyncDisposable
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
            // A cluster is asked through any node that answers: a stopped master must not make it look down once its
            // replica has taken over.
            var server = requireClusterStateOk
                ? connection.GetServers().FirstOrDefault(s => s.IsConnected) ?? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No cluster node answers.")
                : connection.GetServer(ConfigurationOptions.Parse(connectionString).EndPoints[0]);
            var latency = await server.PingAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
            if (requireClusterStateOk)
            {
                var info = (string?)await server.ExecuteAsync("CLUSTER", "INFO").WaitAsync(cancellationToken).ConfigureAwait(false) ?? "";
                if (!info.Contains("cluster_state:ok", StringComparison.Ordinal))
                {
                    return new HealthCheckResult(context.Registration.FailureStatus, "The cluster does not report cluster_state:ok.");
                }
            }
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
