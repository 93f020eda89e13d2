using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>
/// A Shop of its own for the tests that stop Redis, replicas and the catalog, so no other collection ever
/// sees the outages. The limiter is off: these tests prove outages and hostile input, and hundreds of
/// requests from one loopback address would otherwise be answered by 429s that hide what they test.
/// </summary>
public sealed class ReliabilityAppFixture : ShopAppFixture
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);

    protected override IEnumerable<string> ExtraArguments => ["RateLimiting:Enabled=false"];

    /// <summary>
    /// The instance ids of a service's replicas (<c>cart-api-abcd1234</c>, <c>web-frontend-2-efgh5678</c>, …), as
    /// the harness saw them start; stopping and starting an instance keeps its id.
    /// </summary>
    public Task<IReadOnlyList<string>> InstancesOfAsync(string service) => Task.FromResult(Shop.InstanceIds(service));

    /// <summary>Stops one instance (or a single-instance resource by name) and waits until it has exited.</summary>
    public async Task StopAsync(string instance)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.StopCommand)
            .WaitAsync(CommandTimeout);
        // The state is what counts: on a loaded machine Aspire can report a stop as failed while the process
        // is still shutting down (seen for a storefront replica), and it exits moments later.
        try
        {
            await WaitForInstanceAsync(instance, s => s.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state));
        }
        catch (TimeoutException ex) when (!result.Success)
        {
            throw new TimeoutException($"Stopping {instance} failed ({result.Message}) and it is still running.", ex);
        }
    }

    /// <summary>
    /// Kills one replica of a service (SIGKILL, a crash) and waits until Aspire sees it has exited; start it
    /// again with <see cref="StartAsync"/>.
    /// Why not the Stop command: DCP runs a project as <c>dotnet run</c> and stops it by signalling that wrapper,
    /// which does not pass the signal on to the app; DCP kills it after 10 s and, on a loaded machine, reports
    /// the stop as failed and loses track of the replica. Killing the app process itself is also the more
    /// honest fault: a crashed replica does not drain its requests.
    /// </summary>
    public async Task KillAsync(string instance)
    {
        var snapshot = await CurrentSnapshotAsync(instance);
        var wrapper = snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();
        Assert.True(int.TryParse(wrapper, out var wrapperPid), $"{instance} has no executable.pid.");
        var killed = 0;
        foreach (var process in ProcessTree.Descendants(wrapperPid).Prepend(wrapperPid).Reverse())
        {
            killed += ProcessTree.Kill(process) ? 1 : 0;
        }
        Assert.True(killed > 0, $"No process of {instance} (pid {wrapperPid}) could be killed.");
        await WaitForInstanceAsync(instance, s => s.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state));
    }

    /// <summary>
    /// Freezes an instance with SIGSTOP (every process of it) until the returned handle is disposed (SIGCONT): a
    /// Redis that stalls with its sockets open, as a swapping or overloaded server does, which no client notices
    /// until a command times out. Unlike a stop, nothing tells the services that anything is wrong.
    /// </summary>
    public Task<IAsyncDisposable> PauseAsync(string instance)
    {
        // (By state lookup, which also knows a single-instance resource by its name, "cache".)
        Assert.True(App.ResourceNotifications.TryGetCurrentState(instance, out var current), $"No state for {instance}.");
        var root = current.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value?.ToString();
        Assert.True(int.TryParse(root, out var rootPid), $"{instance} has no executable.pid.");
        int[] processes = [rootPid, .. ProcessTree.Descendants(rootPid)];
        ProcessTree.Signal(ProcessSignal.Stop, processes);
        return Task.FromResult<IAsyncDisposable>(new Resume(processes));
    }

    private sealed class Resume(int[] processes) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            ProcessTree.Signal(ProcessSignal.Continue, processes);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Starts a stopped instance again and waits until it runs and its health checks pass.</summary>
    public async Task StartAsync(string instance)
    {
        var result = await App.ResourceCommands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand)
            .WaitAsync(CommandTimeout);
        Assert.True(result.Success, $"Starting {instance} failed: {result.Message}");
        await WaitForInstanceAsync(instance, s => s.State?.Text == KnownResourceStates.Running
            && s.HealthStatus == HealthStatus.Healthy);
    }

    /// <summary>Starts the instance if it has stopped, and waits until it is healthy (the clean-up of a test that failed half-way).</summary>
    public async Task EnsureRunningAsync(string instance)
    {
        if (App.ResourceNotifications.TryGetCurrentState(instance, out var current)
            && current.Snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state))
        {
            await StartAsync(instance);
            return;
        }
        // Running, or already starting again.
        await WaitForInstanceAsync(instance, s => s.State?.Text == KnownResourceStates.Running && s.HealthStatus == HealthStatus.Healthy);
    }

    private async Task<CustomResourceSnapshot> CurrentSnapshotAsync(string instance)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        await foreach (var update in App.ResourceNotifications.WatchAsync(timeout.Token))
        {
            if (update.ResourceId == instance)
            {
                return update.Snapshot;
            }
        }
        throw new InvalidOperationException($"No state for {instance}.");
    }

    public async Task WaitForInstanceAsync(string instance, Func<CustomResourceSnapshot, bool> predicate)
    {
        using var timeout = new CancellationTokenSource(CommandTimeout);
        try
        {
            // WatchAsync first replays every resource's current snapshot, then streams changes.
            await foreach (var update in App.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if ((update.ResourceId == instance || IsSingleInstanceNamed(update, instance)) && predicate(update.Snapshot))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
        }
        var state = App.ResourceNotifications.TryGetCurrentState(instance, out var last)
            ? $"{last.Snapshot.State?.Text}/{last.Snapshot.HealthStatus}" : "unknown";
        throw new TimeoutException($"{instance} did not reach the expected state within {CommandTimeout} (last: {state}).");
    }

    /// <summary>
    /// The resources that are Redis processes: <c>cache</c> itself, or on a Redis Cluster its nodes <c>cache-1</c> …
    /// <c>cache-6</c>, in the order of the seeds in the connection string (<c>cache</c> there has no process of its own).
    /// </summary>
    public IReadOnlyList<string> RedisNodes => TestRedis.Kind == TestRedisKind.Cluster
        ? [.. Enumerable.Range(1, ShopApp.ClusterNodes).Select(node => $"{ShopResources.Cache}-{node}")]
        : [ShopResources.Cache];

    /// <summary>Redis and every instance of every service running and healthy (a fault test may have just ended).</summary>
    public async Task WaitUntilEveryServiceIsHealthyAsync()
    {
        foreach (var node in RedisNodes)
        {
            await EnsureRunningAsync(node);
        }
        await EnsureRunningAsync(ShopResources.Cache);
        foreach (var service in ShopResources.Services)
        {
            foreach (var instance in await InstancesOfAsync(service))
            {
                await EnsureRunningAsync(instance);
            }
        }
    }

    // Redis is one instance: its display name ("cache") identifies it as well as its generated id.
    private bool IsSingleInstanceNamed(ResourceEvent update, string name) =>
        update.Resource.Name == name && Shop.ReplicasOf(name) == 1;
}

[CollectionDefinition(Name)]
public sealed class ReliabilityCollection : ICollectionFixture<ReliabilityAppFixture>
{
    public const string Name = "Shop reliability";
}
