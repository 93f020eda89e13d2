using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Shop.Testing;
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
    public async Task EveryResourceReachesHealthy(string resource)
    {
        var state = await shop.App.ResourceNotifications
            .WaitForResourceHealthyAsync(resource).WaitAsync(ShopAppFixture.StartTimeout);

        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
    }

    [Theory]
    [InlineData(ShopResources.Catalog)]
    [InlineData(ShopResources.Cart)]
    [InlineData(ShopResources.Frontend)]
    public async Task EveryReplicaOfEveryServiceAnswersWithItsOwnInstanceHeader(string resource)
    {
        using var client = shop.CreateReplicaHoppingClient(resource);
        var expected = ShopResources.Replicas[resource];
        var seen = new HashSet<string>();

        // The proxy picks a replica at random per connection: 60 connections miss one of 3 replicas
        // with probability 3 * (2/3)^60, about 1e-10.
        for (var attempt = 0; attempt < 60 && seen.Count < expected; attempt++)
        {
            using var response = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var instance = response.Instance();
            Assert.StartsWith(resource + "/", instance);
            seen.Add(instance);
        }

        Assert.Equal(expected, seen.Count);
    }

    [Theory]
    [InlineData(ShopResources.Catalog)]
    [InlineData(ShopResources.Cart)]
    [InlineData(ShopResources.Frontend)]
    public async Task HealthReportsRedisAsADependency(string resource)
    {
        using var client = shop.CreateReplicaHoppingClient(resource);

        var body = await client.GetStringAsync("/health");

        Assert.Contains("\"StackExchange.Redis\":\"Healthy\"", body);
    }

    [Fact]
    public async Task RedisRefusesACommandWithoutThePassword()
    {
        var endpoint = ParseEndpoint(await shop.RedisConnectionStringAsync());
        using var socket = new TcpClient();
        await socket.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(ShopAppFixture.RequestTimeout);
        var stream = socket.GetStream();

        await stream.WriteAsync("PING\r\n"u8.ToArray());
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(ShopAppFixture.RequestTimeout);

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
                socket.ConnectAsync(address, endpoint.Port).WaitAsync(ShopAppFixture.RequestTimeout));
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
