using System.Diagnostics;
using System.Net;
using StackExchange.Redis;

namespace Shop.EndToEnd.Tests.Reliability;

/// <summary>
/// On a Redis Cluster (<c>SHOP_TEST_REDIS=cluster</c>), the master holding a shopper's cart slot stops, as "Stop" on
/// it in the dashboard does, and its replica takes over. Every storefront replica must serve that shopper's cart and
/// sign-in again within the bound, with the cart as it was. And since replication is asynchronous, a checkout waits
/// for the replica to have its order before answering.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ClusterFailoverTests(ReliabilityAppFixture shop) : IAsyncLifetime
{
    /// <summary>
    /// From the stop to every storefront replica serving the shopper again: the cluster's node timeout (2 s, AppHost's
    /// Redis:Cluster:NodeTimeout) to notice, an election, and the clients learning the new master.
    /// </summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(10);

    /// <summary>How long the test watches a recovery that overran the bound, to say how long it really took.</summary>
    private static readonly TimeSpan ObservationLimit = TimeSpan.FromSeconds(60);

    /// <summary>Redis' append-only file is fsynced every second, and a replica copies its master asynchronously.</summary>
    private static readonly TimeSpan SettleBeforeTheStop = TimeSpan.FromSeconds(1);

    public async ValueTask InitializeAsync() => await shop.WaitUntilEveryServiceIsHealthyAsync();

    public async ValueTask DisposeAsync() => await shop.WaitUntilEveryServiceIsHealthyAsync();

    [Fact]
    public async Task WhenTheMasterOfAShoppersCartSlotStopsEveryStorefrontReplicaServesTheCartAndTheSignInAgainWithinTenSeconds()
    {
        Assert.SkipUnless(TestRedis.Kind == TestRedisKind.Cluster, "A failover needs a Redis Cluster: run with SHOP_TEST_REDIS=cluster.");
        using var carol = new Shopper(shop.Endpoint(ShopResources.Frontend), followRedirects: false);
        await carol.SignInAsync("carol");
        await shop.ClearCartAsync("u-carol");
        Assert.Equal(HttpStatusCode.Redirect, (await carol.AddToCartAsync(51, 2)).Status);
        Assert.Equal(HttpStatusCode.Redirect, (await carol.AddToCartAsync(52)).Status);
        var cart = new Dictionary<int, int> { [51] = 2, [52] = 1 };
        await AssertCarolIsServedEverywhereAsync(carol, cart, CancellationToken.None);
        await Task.Delay(SettleBeforeTheStop);
        var master = await MasterOfAsync("shop:cart:{u-carol}");

        await shop.StopAsync(master);
        var sinceStop = Stopwatch.StartNew();
        try
        {
            // Watched past the bound, so a failure says how long recovery really took; a round ends when its slowest
            // request does, and recovery is the end of the first round in which everything worked.
            var timeline = new List<string>();
            TimeSpan? recovered = null;
            while (recovered is null && sinceStop.Elapsed < ObservationLimit)
            {
                using var round = new CancellationTokenSource(RecoveryBound);
                if (await FirstProblemAsync(carol, cart, round.Token) is { } problem)
                {
                    timeline.Add($"{sinceStop.Elapsed.TotalSeconds:F1} s: {problem}");
                    await Task.Delay(TimeSpan.FromMilliseconds(200));
                }
                else
                {
                    recovered = sinceStop.Elapsed;
                }
            }
            var report = $"{master} (carol's cart master) stopped; every storefront replica served her again after " +
                (recovered is { } time ? $"{time.TotalSeconds:F1} s" : $"more than {ObservationLimit.TotalSeconds} s") +
                ".\n" + string.Join("\n", timeline.TakeLast(15));
            TestContext.Current.TestOutputHelper?.WriteLine(report);
            Assert.True(recovered <= RecoveryBound, report);
            Assert.NotEqual(master, await MasterOfAsync("shop:cart:{u-carol}"));

            // Writes go to the new master, and a new sign-in works too.
            Assert.Equal(HttpStatusCode.Redirect, (await carol.AddToCartAsync(53)).Status);
            cart[53] = 1;
            await AssertCarolIsServedEverywhereAsync(carol, cart, CancellationToken.None);
            using var bob = new Shopper(shop.Endpoint(ShopResources.Frontend), followRedirects: false);
            await bob.SignInAsync("bob");
        }
        finally
        {
            // It rejoins as a replica of the node that took its place.
            await shop.StartAsync(master);
        }
    }

    [Fact]
    public async Task ACheckoutIsAnsweredOnceAReplicaHasTheOrderAndWhenNoneCanConfirmItTheOrderStandsWithAWarning()
    {
        Assert.SkipUnless(TestRedis.Kind == TestRedisKind.Cluster, "Replicas to wait for exist on a Redis Cluster: run with SHOP_TEST_REDIS=cluster.");
        var products = await shop.InStockProductsAsync(2);
        await shop.ClearCartAsync("u-bob");
        using var bob = new Shopper(shop.Endpoint(ShopResources.Frontend));
        await bob.SignInAsync("bob");
        var master = await MasterOfAsync("shop:cart:{u-bob}");
        var replica = await ReplicaOfAsync(master);

        var confirmed = await PlaceOrderAsync(bob, products[0]);
        string unconfirmed;
        await using (await shop.PauseAsync(replica))
        {
            unconfirmed = await PlaceOrderAsync(bob, products[1]);
        }

        var warnings = await shop.Shop.LogLinesAsync(ShopResources.Cart, line => line.Content.Contains("no replica confirmed it", StringComparison.Ordinal));
        Assert.DoesNotContain(warnings, line => line.Contains(confirmed, StringComparison.Ordinal));
        Assert.Contains(warnings, line => line.Contains(unconfirmed, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/orders/{unconfirmed}")).Status);
    }

    /// <summary>Checks out a cart of one product through the storefront; the order id from the confirmation page's address.</summary>
    private static async Task<string> PlaceOrderAsync(Shopper shopper, int product)
    {
        await shopper.AddToCartAsync(product);
        var checkout = await shopper.GetAsync("/checkout");
        var confirmation = await shopper.PostAsync("/checkout", checkout.AntiforgeryToken, ("idempotencyKey", checkout.IdempotencyKey!));
        Assert.Equal(HttpStatusCode.OK, confirmation.Status);
        Assert.StartsWith("/orders/", confirmation.Url!.AbsolutePath);
        return confirmation.Url.AbsolutePath["/orders/".Length..];
    }

    /// <summary>The node resource that replicates <paramref name="master"/>.</summary>
    private async Task<string> ReplicaOfAsync(string master)
    {
        await using var redis = await shop.ConnectToRedisAsync();
        var seeds = await SeedsAsync();
        var masterSeed = seeds[shop.RedisNodes.ToList().IndexOf(master)];
        var nodes = (await redis.GetServer(masterSeed.Host, masterSeed.Port).ClusterNodesAsync().WaitAsync(ShopApp.RequestTimeout))!;
        var masterId = nodes.Nodes.Single(node => PortOf(node.EndPoint) == masterSeed.Port).NodeId;
        var replica = nodes.Nodes.First(node => node.ParentNodeId == masterId);
        return shop.RedisNodes[seeds.FindIndex(seed => seed.Port == PortOf(replica.EndPoint))];
    }

    private static int? PortOf(EndPoint? endpoint) => endpoint switch
    {
        IPEndPoint ip => ip.Port,
        DnsEndPoint dns => dns.Port,
        _ => null,
    };

    /// <summary>The seeds of the connection string, in the order of the node resources (<c>cache-1</c> first).</summary>
    private async Task<List<(string Host, int Port)>> SeedsAsync() =>
        [.. ConfigurationOptions.Parse(await shop.RedisConnectionStringAsync()).EndPoints
            .Select(seed => (Host: seed is IPEndPoint ip ? ip.Address.ToString() : ((DnsEndPoint)seed).Host, Port: PortOf(seed)!.Value))];

    /// <summary>The node resource (<c>cache-N</c>) that is the master of <paramref name="key"/>'s slot right now.</summary>
    private async Task<string> MasterOfAsync(string key)
    {
        await using var redis = await shop.ConnectToRedisAsync();
        var owner = await redis.GetDatabase().IdentifyEndpointAsync(key).WaitAsync(ShopApp.RequestTimeout)
            ?? throw new InvalidOperationException($"No master owns {key}.");
        var seeds = await SeedsAsync();
        var node = seeds.FindIndex(seed => seed.Port == PortOf(owner));
        Assert.True(node >= 0, $"{owner} is not one of the cluster's nodes.");
        return shop.RedisNodes[node];
    }

    private Task AssertCarolIsServedEverywhereAsync(Shopper carol, IReadOnlyDictionary<int, int> cart, CancellationToken cancellationToken) =>
        EveryReplica.ShowsAsync(shop.ReplicaInstances(ShopResources.Frontend), () => carol.GetAsync("/cart", cancellationToken), page => page.Instance,
            page => Assert.True(Describe(page, cart) is null, Describe(page, cart)));

    /// <summary>One round over every storefront replica; null when each served carol her cart, signed in, else what went wrong.</summary>
    private async Task<string?> FirstProblemAsync(Shopper carol, IReadOnlyDictionary<int, int> cart, CancellationToken cancellationToken)
    {
        try
        {
            await AssertCarolIsServedEverywhereAsync(carol, cart, cancellationToken);
            return null;
        }
        catch (Exception ex) when (ex is Xunit.Sdk.XunitException or HttpRequestException or OperationCanceledException)
        {
            return ex.Message;
        }
    }

    private static string? Describe(StorefrontPage page, IReadOnlyDictionary<int, int> cart) =>
        page.Status == HttpStatusCode.OK && page.UserName == "Carol Danvers" && page.CartLines.OrderBy(l => l.Key).SequenceEqual(cart.OrderBy(l => l.Key))
            ? null
            : $"/cart on {page.Instance}: {(int)page.Status} as '{page.UserName}' with [{string.Join(",", page.CartLines.Select(l => $"{l.Key}×{l.Value}"))}]";
}
