using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Shop.Testing;

/// <summary>The AppHost's resource and service names, as every suite and the bench address them.</summary>
public static class ShopResources
{
    public const string Cache = "cache";
    public const string Catalog = "catalog-api";
    public const string Cart = "cart-api";

    /// <summary>
    /// The storefront service: resources <c>web-frontend-1</c> … <c>web-frontend-N</c> (one per replica, so the
    /// gateway balances them per request), reached by shoppers only through the <see cref="Gateway"/>.
    /// </summary>
    public const string Frontend = "web-frontend";

    /// <summary>The one public entry, http://localhost:5080 outside tests.</summary>
    public const string Gateway = "gateway";

    public static readonly string[] Services = [Catalog, Cart, Frontend];

    /// <summary>Whether resource <paramref name="resource"/> is an instance of <paramref name="service"/> (itself, or <c>{service}-{n}</c>).</summary>
    public static bool BelongsTo(string resource, string service) =>
        resource == service
        || (resource.Length > service.Length + 1 && resource.StartsWith(service + "-", StringComparison.Ordinal)
            && resource[(service.Length + 1)..].All(char.IsAsciiDigit));
}

/// <summary>
/// One whole Shop, exactly as the AppHost defines it (Redis, every service with its replicas), started through
/// Aspire.Hosting.Testing on a fresh temp directory: the one harness of the end-to-end suites, the browser suite
/// and the benchmark. Starting it costs tens of seconds on two cores, so a test collection shares one and keeps
/// its state apart by unique ids. Only one whole Shop runs on the machine at a time (<see cref="WholeAppGate"/>).
/// </summary>
public sealed class ShopApp : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The AppHost's Redis Cluster (Redis:Cluster in its appsettings): 3 masters with a replica each.</summary>
    public const int ClusterNodes = 6;

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

    /// <summary>
    /// One running replica: its resource (<c>cart-api</c>, <c>web-frontend-2</c>), its instance id
    /// (<c>cart-api-abcd1234</c>) and its own address.
    /// </summary>
    private sealed record Replica(string Resource, string ResourceId, Uri Address)
    {
        /// <summary>Its <c>X-Instance</c> header: the resource, then the instance id's suffix (ReplicaIdentity).</summary>
        public string Instance => $"{Resource}/{ResourceId[(Resource.Length + 1)..]}";
    }

    public DistributedApplication App { get; }

    /// <summary>The harness's own connection to the app's Redis (admin commands allowed), for key scans and counts.</summary>
    public ConnectionMultiplexer Redis { get; }

    /// <summary>The folder the AppHost was told to keep Redis' files in (<c>Redis:DataPath</c>).</summary>
    public string RedisDataDirectory => Path.Combine(_dataDirectory, "redis");

    /// <summary>
    /// Starts the Shop with the AppHost configuration <paramref name="settings"/> (<c>Key=Value</c>, after the
    /// harness's own: the Redis <see cref="TestRedis"/> names, temp data, the <see cref="TestSecrets"/>, a free port for
    /// the gateway) and returns once the gateway and every replica of every service answer their liveness probes.
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
                $"Redis:DataPath={Path.Combine(dataDirectory, "redis")}", // RedisDataDirectory
                $"Catalog:DatabasePath={Path.Combine(dataDirectory, "catalog.db")}",
                .. TestSecrets.AppHostParameters,
                $"Gateway:Port={LoopbackPort.Free()}",
                "DcpPublisher:RandomizePorts=true",
                .. TestRedis.Kind == TestRedisKind.Cluster ? [$"Redis:Cluster:FirstPort={LoopbackPort.FreeClusterRange(ClusterNodes)}"] : Array.Empty<string>(),
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
            foreach (var resource in ResourceNames(app, [.. ShopResources.Services, ShopResources.Gateway]))
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellationToken).WaitAsync(StartTimeout, cancellationToken);
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
                // A start that failed says why only in the instances' own logs: every one is written, running or not.
                await WriteInstanceLogsAsync(app, "when its start failed", _ => true);
                await app.DisposeAsync();
            }
            gate.Dispose();
            TryDelete(dataDirectory);
            throw;
        }
    }

    /// <summary>
    /// Where a client reaches the service: for the storefront, the gateway (as a shopper does); for an API, the
    /// Aspire proxy in front of its replicas, which balances per TCP connection.
    /// </summary>
    public Uri Endpoint(string service) =>
        App.GetEndpoint(service == ShopResources.Frontend ? ShopResources.Gateway : service, "http");

    /// <summary>How many replicas the AppHost gives the service, read from the app model.</summary>
    public int ReplicasOf(string service) => ReplicaCount(App, service);

    /// <summary>The replicas' own base addresses (no proxy, no gateway), in a stable order: the bench sends load straight to them.</summary>
    public IReadOnlyList<Uri> ReplicaAddresses(string service) => [.. _replicas[service].Select(r => r.Address)];

    /// <summary>
    /// The <c>X-Instance</c> header value of every replica of <paramref name="service"/> (<c>cart-api/abcd1234</c>,
    /// <c>web-frontend-2/efgh5678</c>): the set a test must see answer before it may say "every replica".
    /// </summary>
    public IReadOnlySet<string> ReplicaInstances(string service) =>
        _replicas[service].Select(r => r.Instance).ToHashSet(StringComparer.Ordinal);

    /// <summary>The instance ids of every replica of <paramref name="service"/> (<c>web-frontend-2-efgh5678</c>), for the stop and start commands.</summary>
    public IReadOnlyList<string> InstanceIds(string service) => [.. _replicas[service].Select(r => r.ResourceId)];

    /// <summary>
    /// A client whose every request opens a new TCP connection. The Aspire proxy balances replicas per
    /// connection, so this is how a test reaches several replicas through one URL. Cart.Api is called as the
    /// storefront calls it, with a Cart token for the cart in the path (<see cref="CartTokenHandler"/>).
    /// </summary>
    public HttpClient CreateReplicaHoppingClient(string service, bool allowRedirects = true) =>
        ReplicaHopping.CreateClient(Endpoint(service), allowRedirects, RequestTimeout,
            service == ShopResources.Cart ? inner => new CartTokenHandler(inner) : null);

    /// <summary>
    /// A client whose requests go to the replicas' own addresses in turn (no proxy, no gateway): how a test asks each
    /// storefront replica for its own <c>/health</c>, which through the gateway would be the gateway's.
    /// </summary>
    public HttpClient CreateEachReplicaClient(string service) =>
        ReplicaHopping.CreateClient(ReplicaAddresses(service)[0], allowRedirects: false, RequestTimeout,
            inner => new RoundRobinHandler(ReplicaAddresses(service), inner));

    private sealed class RoundRobinHandler(IReadOnlyList<Uri> replicas, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _next = -1;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var replica = replicas[(int)((uint)Interlocked.Increment(ref _next) % replicas.Count)];
            request.RequestUri = new UriBuilder(request.RequestUri!) { Host = replica.Host, Port = replica.Port }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }

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
    public async Task<string> ErrorLogsAsync(string service) =>
        string.Join("\n", (await LogLinesAsync(service, line => line.IsErrorMessage || line.Content.Contains("fail:", StringComparison.Ordinal)
            || line.Content.Contains("Exception", StringComparison.Ordinal)
            || line.Content.Contains("   at ", StringComparison.Ordinal))).TakeLast(120));

    /// <summary>How often the replicas of every service tripped their Redis stall breaker so far (<see cref="RedisAvailability"/>).</summary>
    public async Task<int> StallBreakerTripsAsync()
    {
        var trips = 0;
        foreach (var service in ShopResources.Services)
        {
            trips += (await LogLinesAsync(service, line => line.Content.Contains(RedisAvailability.TrippedLogMessage, StringComparison.Ordinal))).Count;
        }
        return trips;
    }

    /// <summary>The lines the replicas of <paramref name="service"/> logged so far that <paramref name="match"/> picks, each after its resource name.</summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(string service, Func<LogLine, bool> match)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var lines = new List<string>();
        foreach (var target in App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => ShopResources.BelongsTo(r.Name, service)))
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await foreach (var batch in logs.GetAllAsync(target).WithCancellation(timeout.Token))
                {
                    lines.AddRange(batch.Where(match).Select(line => $"{target.Name}: {line.Content}"));
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        await WriteInstanceLogsAsync(App, "when the app was disposed", snapshot => snapshot.State?.Text != KnownResourceStates.Running);
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

    /// <summary>
    /// Where <c>SHOP_TEST_LOGS</c> names a folder (CI sets it), writes the log of every service instance that
    /// <paramref name="which"/> picks: when the app is disposed, those that are not running (every test that stops or
    /// kills a replica starts it again, so such an instance died by itself); when a start failed, all of them. Their
    /// own logs, which no test prints, are the one place that says why.
    /// </summary>
    private static async Task WriteInstanceLogsAsync(DistributedApplication app, string when, Func<CustomResourceSnapshot, bool> which)
    {
        if (Environment.GetEnvironmentVariable("SHOP_TEST_LOGS") is not { Length: > 0 } folder)
        {
            return;
        }
        var instances = new Dictionary<string, CustomResourceSnapshot>();
        using var replayed = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(replayed.Token))
            {
                if (ShopResources.Services.Append(ShopResources.Gateway).Any(service => ShopResources.BelongsTo(update.Resource.Name, service)))
                {
                    instances[update.ResourceId] = update.Snapshot;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        foreach (var (instance, snapshot) in instances.Where(i => which(i.Value)))
        {
            var lines = new List<string>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await foreach (var batch in logs.GetAllAsync(instance).WithCancellation(timeout.Token))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
            }
            Directory.CreateDirectory(folder);
            await File.WriteAllLinesAsync(Path.Combine(folder, $"{DateTime.UtcNow:HHmmss}-{instance}.log"),
                [$"{instance}: {snapshot.State?.Text}, exit code {snapshot.ExitCode?.ToString() ?? "none"}, seen {when} at {DateTime.UtcNow:HH:mm:ss} UTC",
                    .. lines.TakeLast(200)]);
        }
    }

    /// <summary>The resources that are the services' instances (<c>cart-api</c>; <c>web-frontend-1</c>, <c>web-frontend-2</c>, …).</summary>
    private static IEnumerable<string> ResourceNames(DistributedApplication app, IEnumerable<string> services) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Select(r => r.Name)
            .Where(name => services.Any(service => ShopResources.BelongsTo(name, service)));

    /// <summary>A service's replicas: those of its one resource (<c>WithReplicas</c>), or one per resource.</summary>
    private static int ReplicaCount(DistributedApplication app, string service) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => ShopResources.BelongsTo(r.Name, service))
            .Sum(r => r.Annotations.OfType<ReplicaAnnotation>().SingleOrDefault()?.Replicas ?? 1);

    /// <summary>
    /// Each replica is its own instance in the notifications, and its environment carries the address DCP gave
    /// it (<c>ASPNETCORE_URLS</c>); the resource's endpoint URL is the proxy's.
    /// </summary>
    private static async Task<IReadOnlyDictionary<string, IReadOnlyList<Replica>>> ReplicaAddressesAsync(
        DistributedApplication app, CancellationToken cancellationToken)
    {
        var found = ShopResources.Services.ToDictionary(name => name, _ => new Dictionary<string, Replica>());
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (ShopResources.Services.FirstOrDefault(service => ShopResources.BelongsTo(update.Resource.Name, service)) is { } service
                    && update.Snapshot.State?.Text == KnownResourceStates.Running
                    && update.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is { Length: > 0 } urls)
                {
                    found[service][update.ResourceId] = new Replica(update.Resource.Name, update.ResourceId, new Uri(urls.Split(';')[0]));
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
            pair => (IReadOnlyList<Replica>)[.. pair.Value.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value)]);
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
