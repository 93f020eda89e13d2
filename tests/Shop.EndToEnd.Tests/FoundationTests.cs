using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace Shop.EndToEnd.Tests;

[Collection(ShopAppCollection.Name)]
public sealed class FoundationTests(ShopAppFixture shop)
{
    [Theory]
    [InlineData(ShopResources.Cache)]
    [InlineData(ShopResources.Catalog)]
    [InlineData(ShopResources.Cart)]
    [InlineData(ShopResources.Frontend)]
    public async Task EveryInstanceOfEveryResourceIsRunningAndHealthy(string resource)
    {
        // The notification service replays every instance's current state to a new watcher; read them, do not wait.
        var instances = new Dictionary<string, CustomResourceSnapshot>();
        using var replayed = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var update in shop.App.ResourceNotifications.WatchAsync(replayed.Token))
            {
                if (update.Resource.Name == resource)
                {
                    instances[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        Assert.Equal(shop.Shop.ReplicasOf(resource), instances.Count);
        Assert.All(instances, instance =>
        {
            Assert.Equal(KnownResourceStates.Running, instance.Value.State?.Text);
            Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, instance.Value.HealthStatus);
            Assert.NotEmpty(instance.Value.HealthReports);
        });
    }

    [Theory]
    [InlineData(ShopResources.Catalog)]
    [InlineData(ShopResources.Cart)]
    [InlineData(ShopResources.Frontend)]
    public async Task EveryReplicaOfEveryServiceAnswersWithItsOwnInstanceHeaderAndReportsRedisHealthy(string resource)
    {
        using var client = shop.CreateReplicaHoppingClient(resource);

        await EveryReplica.ShowsAsync(shop.ReplicaInstances(resource), client, "/health", answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.StartsWith(resource + "/", answer.Instance);
            Assert.Contains("\"StackExchange.Redis\":\"Healthy\"", answer.Body);
        });
    }

    [Fact]
    public async Task RedisRefusesACommandWithoutThePassword()
    {
        var endpoint = ParseEndpoint(await shop.RedisConnectionStringAsync());
        using var socket = new TcpClient();
        await socket.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(ShopApp.RequestTimeout);
        var stream = socket.GetStream();

        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(ShopApp.RequestTimeout);

        Assert.StartsWith("-NOAUTH", Encoding.ASCII.GetString(buffer, 0, read));
    }

    [Fact]
    public async Task RedisListensOnLoopbackOnly()
    {
        var connectionString = await shop.RedisConnectionStringAsync();
        var endpoint = ParseEndpoint(connectionString);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(connectionString + ",allowAdmin=true");

        var bind = await redis.GetServers()[0].ConfigGetAsync("bind");
        Assert.Equal("127.0.0.1", Assert.Single(bind).Value);

        foreach (var address in NonLoopbackAddresses())
        {
            using var socket = new TcpClient(address.AddressFamily);
            await Assert.ThrowsAnyAsync<SocketException>(() =>
                socket.ConnectAsync(address, endpoint.Port).WaitAsync(ShopApp.RequestTimeout));
        }
    }

    private static (string Host, int Port) ParseEndpoint(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        var endpoint = (DnsEndPoint)options.EndPoints.Single();
        Assert.False(string.IsNullOrEmpty(options.Password), "The connection string must carry the password.");
        return (endpoint.Host, endpoint.Port);
    }

    private static IEnumerable<IPAddress> NonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
