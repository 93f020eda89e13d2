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
                if (ShopResources.BelongsTo(update.Resource.Name, resource))
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
        using var client = shop.Shop.CreateEachReplicaClient(resource);

        await EveryReplica.ShowsAsync(shop.ReplicaInstances(resource), client, "/health", answer =>
        {
            Assert.Equal(HttpStatusCode.OK, answer.Status);
            Assert.StartsWith(resource, answer.Instance);
            Assert.Contains("\"StackExchange.Redis\":\"Healthy\"", answer.Body);
        });
    }

    [Fact]
    public async Task RedisRefusesACommandWithoutThePassword()
    {
        // Every node of a cluster: one without a password would open the whole keyspace of its slots.
        foreach (var endpoint in ParseEndpoints(await shop.RedisConnectionStringAsync()))
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(ShopApp.RequestTimeout);
            var stream = socket.GetStream();

            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[256];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(ShopApp.RequestTimeout);

            Assert.StartsWith("-NOAUTH", Encoding.ASCII.GetString(buffer, 0, read));
        }
    }

    [Fact]
    public async Task RedisKeepsItsFilesInAFolderOnlyItsOwnerCanEnterAndIsBoundedWithoutEvictingAnything()
    {
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(shop.Shop.RedisDataDirectory));
        }
        // Garnet has no maxmemory: its log is bounded by --memory and spills to disk (Redis:Garnet:Memory), never evicts.
        if (TestRedis.Kind == TestRedisKind.Garnet)
        {
            return;
        }
        // Every node of a cluster, masters and replicas alike (a replica that takes over must not start evicting).
        foreach (var server in shop.Shop.Redis.GetServers())
        {
            var config = (await server.ConfigGetAsync("maxmemory*").WaitAsync(ShopApp.RequestTimeout)).ToDictionary();

            // The README's numbers: 512 MB, and a full Redis refuses writes rather than dropping a cart, ticket or key ring.
            Assert.Equal("536870912", config["maxmemory"]);
            Assert.Equal("noeviction", config["maxmemory-policy"]);
        }
    }

    [Fact]
    public async Task RedisListensOnLoopbackOnly()
    {
        // Every node of a cluster, with its cluster bus (port + 10000), which nodes use to gossip and fail over.
        var ports = ParseEndpoints(await shop.RedisConnectionStringAsync())
            .SelectMany(endpoint => TestRedis.Kind == TestRedisKind.Cluster ? [endpoint.Port, endpoint.Port + 10000] : new[] { endpoint.Port })
            .ToList();

        foreach (var port in ports)
        {
            // What the kernel says is listening on the port (Garnet, unlike redis-server, does not answer CONFIG GET bind).
            if (OperatingSystem.IsLinux())
            {
                Assert.Equal(["127.0.0.1"], ListeningAddresses(port));
            }
            foreach (var address in NonLoopbackAddresses())
            {
                using var socket = new TcpClient(address.AddressFamily);
                await Assert.ThrowsAnyAsync<SocketException>(() =>
                    socket.ConnectAsync(address, port).WaitAsync(ShopApp.RequestTimeout));
            }
        }
    }

    /// <summary>The local addresses of the sockets listening on <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    private static string[] ListeningAddresses(int port)
    {
        const string Listen = "0A";
        var addresses = new List<string>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] == Listen && Convert.ToInt32(local[1], 16) == port)
                {
                    var bytes = Convert.FromHexString(local[0]);
                    // The kernel writes each 32-bit word in host (little-endian) order.
                    for (var word = 0; word < bytes.Length; word += 4)
                    {
                        Array.Reverse(bytes, word, 4);
                    }
                    var address = new IPAddress(bytes);
                    addresses.Add((address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString());
                }
            }
        }
        return [.. addresses.Distinct().Order()];
    }

    private static IReadOnlyList<(string Host, int Port)> ParseEndpoints(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        Assert.False(string.IsNullOrEmpty(options.Password), "The connection string must carry the password.");
        var endpoints = options.EndPoints.Select(endpoint => endpoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException($"Unexpected endpoint {endpoint}."),
        }).ToList();
        // One Redis, or every node of the cluster as a seed.
        Assert.Equal(TestRedis.Kind == TestRedisKind.Cluster ? 6 : 1, endpoints.Count);
        return endpoints;
    }

    private static IEnumerable<IPAddress> NonLoopbackAddresses() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(nic => nic.OperationalStatus == OperationalStatus.Up)
            .SelectMany(nic => nic.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
}
