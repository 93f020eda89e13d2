using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Bench.App;

/// <summary>
/// The whole Shop started by the benchmark itself through Aspire.Hosting.Testing, exactly as the AppHost
/// defines it (Redis as a local redis-server, every service with its replicas), on a fresh temp directory.
/// Knows each replica's own address, so load goes to the replicas directly and not through the Aspire
/// proxy (which balances per connection and costs several times the service on a small machine).
/// </summary>
public sealed class ShopApp : IAsyncDisposable
{
    public const string AdminKey = "bench-admin-key-0123456789abcdef";
    public const string Catalog = "catalog-api";
    public const string Cart = "cart-api";
    public const string Frontend = "web-frontend";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] Services = [Catalog, Cart, Frontend];

    private readonly string _dataDirectory;
    private readonly DistributedApplication _app;
    private readonly Dictionary<string, IReadOnlyList<Uri>> _replicas;

    private ShopApp(string dataDirectory, DistributedApplication app, Dictionary<string, IReadOnlyList<Uri>> replicas,
        ConnectionMultiplexer redis)
    {
        (_dataDirectory, _app, _replicas, Redis) = (dataDirectory, app, replicas, redis);
    }

    public ConnectionMultiplexer Redis { get; }

    /// <summary>The replicas' own base addresses (no proxy), in a stable order.</summary>
    public IReadOnlyList<Uri> Replicas(string resource) => _replicas[resource];

    /// <summary>The Aspire proxy in front of the replicas (balances per TCP connection).</summary>
    public Uri Proxy(string resource) => _app.GetEndpoint(resource, "http");

    public static async Task<ShopApp> StartAsync(AppProfile profile, CancellationToken cancellationToken)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("shop-bench-").FullName;
        string[] args =
        [
            "Redis:Mode=local",
            $"Redis:DataPath={Path.Combine(dataDirectory, "redis")}",
            $"Catalog:DatabasePath={Path.Combine(dataDirectory, "catalog.db")}",
            $"Parameters:catalog-admin-key={AdminKey}",
            "DcpPublisher:RandomizePorts=true",
            .. profile.Settings,
        ];
        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = true, cancellationToken)
            .WaitAsync(StartTimeout, cancellationToken);
        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            // Redis answers a few seconds after it starts; the AppHost's probe says so loudly meanwhile.
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
            // The replicas' own console output stays in the resources' logs; progress is what the bench prints.
            .AddFilter("AppHost.Resources", LogLevel.None));
        var app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
        try
        {
            await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            foreach (var service in Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken)
                    .WaitAsync(StartTimeout, cancellationToken);
            }
            var replicas = await FindReplicasAsync(app, cancellationToken);
            await WaitUntilEveryReplicaAnswersAsync(replicas, cancellationToken);
            var redis = await ConnectionMultiplexer.ConnectAsync(
                await app.GetConnectionStringAsync("cache", cancellationToken) + ",allowAdmin=true");
            return new ShopApp(dataDirectory, app, replicas, redis);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Each replica is its own resource in the notifications, and its environment carries the address DCP
    /// gave it (<c>ASPNETCORE_URLS</c>); the resource's endpoint URL is the proxy's.
    /// </summary>
    private static async Task<Dictionary<string, IReadOnlyList<Uri>>> FindReplicasAsync(
        DistributedApplication app, CancellationToken cancellationToken)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var expected = Services.ToDictionary(name => name,
            name => model.Resources.Single(r => r.Name == name).Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1);
        var found = Services.ToDictionary(name => name, _ => new Dictionary<string, Uri>());

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (found.TryGetValue(update.Resource.Name, out var replicas)
                    && update.Snapshot.State?.Text == KnownResourceStates.Running
                    && update.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is { Length: > 0 } urls)
                {
                    replicas[update.ResourceId] = new Uri(urls.Split(';')[0]);
                }
                if (Services.All(name => found[name].Count >= expected[name]))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException("Not every replica reported its address within a minute: " +
                string.Join(", ", Services.Select(name => $"{name} {found[name].Count}/{expected[name]}")));
        }
        return found.ToDictionary(pair => pair.Key,
            pair => (IReadOnlyList<Uri>)[.. pair.Value.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)]);
    }

    /// <summary>
    /// A resource reports healthy once one of its replicas is; on a busy machine the others may still be
    /// starting. Load must not start before every replica answers its liveness probe.
    /// </summary>
    private static async Task WaitUntilEveryReplicaAnswersAsync(
        Dictionary<string, IReadOnlyList<Uri>> replicas, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var replica in replicas.Values.SelectMany(list => list))
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(replica, "/alive"), cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                }
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Replica {replica} did not answer /alive within {StartTimeout.TotalMinutes} minutes.");
                }
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    /// <summary>Products with plenty of stock (their pages carry an add-to-cart form), from the catalog itself.</summary>
    public async Task<IReadOnlyList<int>> InStockProductIdsAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var page = await client.GetFromJsonAsync<JsonElement>(
            new Uri(Replicas(Catalog)[0], "/api/catalog/items?pageSize=100"), cancellationToken);
        return [.. page.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("stock").GetInt32() >= 50)
            .Select(item => item.GetProperty("id").GetInt32())];
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
        }
        finally
        {
            await _app.DisposeAsync();
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
