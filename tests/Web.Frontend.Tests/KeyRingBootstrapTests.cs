using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Testing;
using Shop.Web.Frontend.Extensions;
using Shop.Web.Frontend.Security;
using StackExchange.Redis;

namespace Shop.Web.Frontend.Tests;

public sealed class KeyRingBootstrapTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    /// <summary>One "replica": its own container and its own Redis connection, the shared ring in Redis.</summary>
    private async Task<(ServiceProvider Services, ConnectionMultiplexer Connection)> ReplicaAsync(string connectionOptions = "")
    {
        var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + connectionOptions);
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<IConnectionMultiplexer>(connection)
            .AddSingleton(TimeProvider.System)
            .AddSingleton<KeyRingBootstrapper>();
        services.AddDataProtection().SetApplicationName(StorefrontServices.ApplicationName);
        services.Configure<KeyManagementOptions>(options =>
            options.XmlRepository = new RedisXmlRepository(() => connection.GetDatabase(), FrontendRedisKeys.DataProtectionKeys));
        return (services.BuildServiceProvider(), connection);
    }

    /// <summary>
    /// The ring is in Redis and in Redis' files on disk. Stored in the clear, its master key let anyone who could
    /// read those files build a sign-in cookie; encrypted with the AppHost's certificate, it is of no use to them.
    /// </summary>
    [Fact]
    public async Task TheRingInRedisIsEncryptedSoWhoeverReadsItCannotUnprotectTheStorefrontsCookies()
    {
        await redis.ClearAsync();
        await using var storefront = new StorefrontFactory(redis);
        _ = storefront.NewClient();
        var payload = storefront.Services.GetDataProtector("test").Protect("a sign-in ticket id");

        var ring = await redis.Connection.GetDatabase().ListRangeAsync("shop:dp-keys");
        var (thief, connection) = await ReplicaAsync();
        try
        {
            Assert.NotEmpty(ring);
            Assert.All(ring, key =>
            {
                Assert.Contains("EncryptedXmlDecryptor", key.ToString(), StringComparison.Ordinal);
                Assert.DoesNotContain("<value>", key.ToString(), StringComparison.Ordinal);
            });
            // Everything but the certificate: the ring, the application name, the Redis connection.
            Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => thief.GetDataProtector("test").Unprotect(payload));
            Assert.Equal("a sign-in ticket id", storefront.Services.GetDataProtector("test").Unprotect(payload));
        }
        finally
        {
            await thief.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task ThreeReplicasStartingTogetherOnAnEmptyRingAgreeOnOneKey()
    {
        await redis.ClearAsync();
        var replicas = await Task.WhenAll(ReplicaAsync(), ReplicaAsync(), ReplicaAsync());
        try
        {
            var created = await Task.WhenAll(replicas.Select(r =>
                Task.Run(() => r.Services.GetRequiredService<KeyRingBootstrapper>().EnsureKeyAsync(CancellationToken.None))));

            Assert.Equal(1, created.Count(c => c));
            Assert.Equal(1, await redis.Connection.GetDatabase().ListLengthAsync("shop:dp-keys"));
            Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync("shop:dp-keys:lock"));

            var payload = replicas[0].Services.GetDataProtector("test").Protect("hello from replica 0");
            Assert.Equal("hello from replica 0", replicas[1].Services.GetDataProtector("test").Unprotect(payload));
            Assert.Equal("hello from replica 0", replicas[2].Services.GetDataProtector("test").Unprotect(payload));
            Assert.Equal(1, await redis.Connection.GetDatabase().ListLengthAsync("shop:dp-keys"));
        }
        finally
        {
            foreach (var (services, connection) in replicas)
            {
                await services.DisposeAsync();
                await connection.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// With a short command timeout, a Redis busy at start-up answers too late (a Garnet compiling its first script
    /// under load took more than 1 s), and that timeout is no RedisException: it killed the replica before it served a
    /// page, and the whole shop never became healthy. It must wait for Redis instead.
    /// </summary>
    [Fact]
    public async Task AReplicaStartingWhileRedisAnswersTooLateWaitsForItInsteadOfDying()
    {
        await redis.ClearAsync();
        var (replica, connection) = await ReplicaAsync(",syncTimeout=200,asyncTimeout=200");
        try
        {
            var stall = redis.StallAsync(TimeSpan.FromSeconds(1.5));
            var created = await replica.GetRequiredService<KeyRingBootstrapper>().EnsureKeyAsync(CancellationToken.None);
            await stall;

            Assert.True(created);
            Assert.Equal(1, await redis.Connection.GetDatabase().ListLengthAsync("shop:dp-keys"));
            Assert.False(await redis.Connection.GetDatabase().KeyExistsAsync("shop:dp-keys:lock"));
        }
        finally
        {
            await replica.DisposeAsync();
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task AReplicaStartingOnAnExistingRingCreatesNoKey()
    {
        await redis.ClearAsync();
        var (first, firstConnection) = await ReplicaAsync();
        var (second, secondConnection) = await ReplicaAsync();
        try
        {
            Assert.True(await first.GetRequiredService<KeyRingBootstrapper>().EnsureKeyAsync(CancellationToken.None));
            Assert.False(await second.GetRequiredService<KeyRingBootstrapper>().EnsureKeyAsync(CancellationToken.None));
            Assert.Single(second.GetRequiredService<IKeyManager>().GetAllKeys());
            Assert.Equal(StorefrontServices.ApplicationName,
                second.GetRequiredService<IOptions<DataProtectionOptions>>().Value.ApplicationDiscriminator);
        }
        finally
        {
            await first.DisposeAsync();
            await second.DisposeAsync();
            await firstConnection.DisposeAsync();
            await secondConnection.DisposeAsync();
        }
    }
}
