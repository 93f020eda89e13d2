using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Testing;

/// <summary>The AppHost's resource names, as every suite and the bench address them.</summary>
public static class ShopResources
{
    public const string Cache = "cache";
    public const string Catalog = "catalog-api";
    public const string Cart = "cart-api";
    public const string Frontend = "web-frontend";

    public static readonly string[] Services = [Catalog, Cart, Frontend];
}

/// <summary>
/// One whole Shop, exactly as the AppHost defines it (Redis, every service with its replicas), started through
/// Aspire.Hosting.Testing on a fresh temp directory: the one harness of the end-to-end suites, the browser suite
/// and the benchmark. Starting it costs tens of seconds on two cores, so a test collection shares one and keeps
/// its state apart by unique ids. Only one whole Shop runs on the machine at a time (<see cref="WholeAppGate"/>).
/// </summary>
public sealed class ShopApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    // Another test process (or the bench) may be running its own whole Shop; wait for it rather than compete for two cores.
    private static readonly TimeSpan GateTimeout = TimeSpan.FromMinutes(30);

    private readonly string _dataDirectory;
    private readonly WholeAppGate _gate;
    private readonly IReadOnlyDictionary<string, IReadOnlyList<Replica>> _replicas;

    private ShopApp(string dataDirectory, WholeAppGate gate, DistributedApplication app,
        IReadOnlyDictionary<string, IReadOnlyList<Replica>> replicas, ConnectionMultiplexer redis)
    {
        (_dataDirectory, _gate, App, _replicas, Redis) = (dataDirectory, gate, app, replicas, redis);
    }

    /// <summary>One running replica: its resource id (<c>web-frontend-abcd1234</c>) and its own address.</summary>
    private sealed record Replica(string ResourceId, Uri Address);

    public DistributedApplication App { get; }

    /// <summary>The harness's own connection to the app's Redis (admin commands allowed), for key scans and counts.</summary>
    public ConnectionMultiplexer Redis { get; }

    /// <summary>
    /// Starts the Shop with the AppHost configuration <paramref name="settings"/> (<c>Key=Value</c>, after the
    /// harness's own: the Redis <see cref="TestRedis"/> names, temp data, the test admin key) and returns once every
    /// replica of every service answers its liveness probe.
    /// </summary>
    public static async Task<ShopApp> StartAsync(IEnumerable<string> settings, Action? onWaitForGate = null, CancellationToken cancellationToken = default)
    {
        var gate = await WholeAppGate.EnterAsync(GateTimeout, onWaitForGate ?? (() => { }), cancellationToken);
        var dataDirectory = Directory.CreateTempSubdirectory("shop-app-").FullName;
        DistributedApplication? app = null;
        try
        {
            string[] args =
            [
                $"Redis:Mode={TestRedis.AppHostMode}",
                $"Redis:DataPath={Path.Combine(dataDirectory, "redis")}",
                $"Catalog:DatabasePath={Path.Combine(dataDirectory, "catalog.db")}",
                $"Parameters:admin-key={AdminKey}",
                "DcpPublisher:RandomizePorts=true",
                .. settings,
            ];
            var builder = await DistributedApplicationTestingBuilder
                .CreateAsync<Projects.AppHost>(args, (options, _) => options.DisableDashboard = true, cancellationToken)
                .WaitAsync(StartTimeout, cancellationToken);
            builder.Services.AddLogging(logging => logging
                .SetMinimumLevel(LogLevel.Warning)
                // Redis answers a few seconds after it starts; the AppHost's probe says so loudly meanwhile.
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
                .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
                // The replicas' own output stays in the resources' logs (see ErrorLogsAsync).
                .AddFilter("AppHost.Resources", LogLevel.None));
            app = await builder.BuildAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            await app.StartAsync(cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            foreach (var service in ShopResources.Services)
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(service, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
            }
            var replicas = await ReplicaAddressesAsync(app, cancellationToken);
            await WaitUntilEveryReplicaIsAliveAsync(replicas, cancellationToken);
            var redis = await ConnectionMultiplexer.ConnectAsync(
                await app.GetConnectionStringAsync(ShopResources.Cache, cancellationToken) + ",allowAdmin=true");
            return new ShopApp(dataDirectory, gate, app, replicas, redis);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
            gate.Dispose();
            TryDelete(dataDirectory);
            throw;
        }
    }

    /// <summary>The resource's endpoint (for a replicated service, the Aspire proxy that balances per TCP connection).</summary>
    public Uri Endpoint(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>How many replicas the AppHost gives the service, read from the app model.</summary>
    public int ReplicasOf(string resource) => ReplicaCount(App, resource);

    /// <summary>The replicas' own base addresses (no proxy), in a stable order: the bench sends load straight to them.</summary>
    public IReadOnlyList<Uri> ReplicaAddresses(string resource) => [.. _replicas[resource].Select(r => r.Address)];

    /// <summary>
    /// The <c>X-Instance</c> header value of every replica of <paramref name="resource"/>
    /// (<c>web-frontend/abcd1234</c> for the replica whose resource id is <c>web-frontend-abcd1234</c>): the set a
    /// test must see answer before it may say "every replica".
    /// </summary>
    public IReadOnlySet<string> ReplicaInstances(string resource) =>
        _replicas[resource].Select(r => $"{resource}/{r.ResourceId[(resource.Length + 1)..]}").ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A client whose every request opens a new TCP connection. The Aspire proxy balances replicas per
    /// connection, so this is how a test reaches several replicas through one URL.
    /// </summary>
    public HttpClient CreateReplicaHoppingClient(string resource, bool allowRedirects = true) =>
        ReplicaHopping.CreateClient(Endpoint(resource), allowRedirects, RequestTimeout);

    public async Task<string> RedisConnectionStringAsync() =>
        await App.GetConnectionStringAsync(ShopResources.Cache).AsTask().WaitAsync(RequestTimeout)
        ?? throw new InvalidOperationException("The cache resource has no connection string.");

    /// <summary>A connection of the caller's own to the app's Redis, for assertions on keys and TTLs.</summary>
    public async Task<ConnectionMultiplexer> ConnectToRedisAsync() =>
        await ConnectionMultiplexer.ConnectAsync(await RedisConnectionStringAsync() + ",allowAdmin=true").WaitAsync(RequestTimeout);

    /// <summary>
    /// Products with at least <paramref name="minStock"/> in stock, from a random catalog page. The seed gives some
    /// products no stock, and a caller that places orders must not depend on which.
    /// </summary>
    public async Task<int[]> InStockProductsAsync(int count, int minStock = 10)
    {
        using var client = CreateReplicaHoppingClient(ShopResources.Catalog);
        var list = await client.GetFromJsonAsync<JsonElement>($"/api/catalog/items?pageSize=100&page={Random.Shared.Next(2, 10)}");
        var products = list.GetProperty("items").EnumerateArray()
            .Where(item => item.GetProperty("stock").GetInt32() >= minStock)
            .Select(item => item.GetProperty("id").GetInt32())
            .OrderBy(_ => Random.Shared.Next())
            .Take(count)
            .ToArray();
        return products.Length == count
            ? products
            : throw new InvalidOperationException($"Only {products.Length} of {count} products with stock >= {minStock} on that page.");
    }

    /// <summary>Empties a cart directly in Cart.Api, so a caller starts from a known cart for a shared demo account.</summary>
    public async Task ClearCartAsync(string cartId)
    {
        using var client = CreateReplicaHoppingClient(ShopResources.Cart);
        (await client.DeleteAsync($"/api/carts/{cartId}")).EnsureSuccessStatusCode();
    }

    /// <summary>The error lines a resource's replicas logged, for a failure message worth reading.</summary>
    public async Task<string> ErrorLogsAsync(string resource)
    {
        var target = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource);
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await foreach (var batch in logs.GetAllAsync(target).WithCancellation(timeout.Token))
            {
                lines.AddRange(batch.Where(line => line.IsErrorMessage || line.Content.Contains("fail:", StringComparison.Ordinal)
                    || line.Content.Contains("Exception", StringComparison.Ordinal)).Select(line => line.Content));
            }
        }
        catch (OperationCanceledException)
        {
        }
        return string.Join("\n", lines.TakeLast(60));
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        try
        {
            await App.StopAsync().WaitAsync(StartTimeout);
        }
        finally
        {
            await App.DisposeAsync();
            _gate.Dispose();
            TryDelete(_dataDirectory);
        }
    }

    private static int ReplicaCount(DistributedApplication app, string resource) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource)
            .Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1;

    /// <summary>
    /// Each replica is its own resource in the notifications, and its environment carries the address DCP gave
    /// it (<c>ASPNETCORE_URLS</c>); the resource's endpoint URL is the proxy's.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<Replica>>> ReplicaAddressesAsync(
        DistributedApplication app, CancellationToken cancellationToken)
    {
        var found = ShopResources.Services.ToDictionary(name => name, _ => new Dictionary<string, Uri>());
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
                if (ShopResources.Services.All(name => found[name].Count >= ReplicaCount(app, name)))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("Not every replica reported its address within a minute: " +
                string.Join(", ", ShopResources.Services.Select(name => $"{name} {found[name].Count}/{ReplicaCount(app, name)}")));
        }
        return found.ToDictionary(pair => pair.Key,
            pair => (IReadOnlyList<Replica>)[.. pair.Value.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => new Replica(r.Key, r.Value))]);
    }

    /// <summary>
    /// A resource reports healthy once one of its replicas is; on a busy machine the others may still be starting.
    /// Nothing may start before every replica answers its liveness probe.
    /// </summary>
    private static async Task WaitUntilEveryReplicaIsAliveAsync(
        IReadOnlyDictionary<string, IReadOnlyList<Replica>> replicas, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        foreach (var replica in replicas.Values.SelectMany(list => list).Select(r => r.Address))
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

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A temp directory left behind is harmless.
        }
    }
}
