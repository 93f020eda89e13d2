using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Shop.EndToEnd.Tests.Storefront;

[Collection(ShopAppCollection.Name)]
public sealed class LoadTests(ShopAppFixture shop, ITestOutputHelper output)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    private const int Shoppers = 64;

    /// <summary>
    /// 64 simulated shoppers browse, search, open products and fill carts for a minute, every request on a
    /// random replica. Correctness only: every answer is a page (the shared collection runs without limits,
    /// so there are no intended 429s here), and each shopper's cart holds exactly the products and quantities that
    /// shopper put in it.
    /// Throughput and memory are reported in the closing note, not asserted.
    /// </summary>
    [Fact]
    public async Task SixtyFourShoppersForAMinuteGetNoErrorsAndKeepTheirOwnCarts()
    {
        var stock = await shop.InStockProductsAsync(20, minStock: 1);
        var processes = await ServiceProcesses.FindAsync(shop.App);
        var memoryAtStart = ServiceProcesses.ResidentMegabytes(processes);
        IReadOnlyDictionary<string, long>? memoryAfterWarmUp = null;
        var failures = new ConcurrentQueue<string>();
        var requests = 0;
        var deadline = Stopwatch.StartNew();

        async Task ShopAsync(int number)
        {
            using var shopper = new Shopper(shop.Endpoint(ShopResources.Frontend));
            var expected = new Dictionary<int, int>();
            var random = new Random(number);
            while (deadline.Elapsed < Duration)
            {
                if (number == 0 && memoryAfterWarmUp is null && deadline.Elapsed > Duration / 4)
                {
                    memoryAfterWarmUp = ServiceProcesses.ResidentMegabytes(processes);
                }
                var product = stock[random.Next(stock.Length)];
                var step = random.Next(5);
                var page = step switch
                {
                    0 => await shopper.GetAsync($"/?page={random.Next(1, 20)}"),
                    1 => await shopper.GetAsync("/?q=oak&sort=-price"),
                    2 => await shopper.GetAsync($"/products/{product}"),
                    3 => await shopper.AddToCartAsync(product),
                    _ => await shopper.GetAsync("/cart"),
                };
                Interlocked.Increment(ref requests);
                if (step == 3)
                {
                    expected[product] = expected.GetValueOrDefault(product) + 1;
                }
                if (page.Status != HttpStatusCode.OK)
                {
                    failures.Enqueue($"shopper {number}, step {step}: {(int)page.Status} from {page.Instance}");
                }
            }
            var cart = await shopper.GetAsync("/cart");
            if (!cart.CartLines.OrderBy(l => l.Key).SequenceEqual(expected.OrderBy(l => l.Key)))
            {
                failures.Enqueue($"shopper {number}: cart holds [{Lines(cart.CartLines)}], expected [{Lines(expected)}]");
            }
        }

        static string Lines(IReadOnlyDictionary<int, int> lines) => string.Join(",", lines.OrderBy(l => l.Key).Select(l => $"{l.Key}x{l.Value}"));

        await Task.WhenAll(Enumerable.Range(0, Shoppers).Select(ShopAsync)).WaitAsync(Duration * 3);

        Assert.True(failures.IsEmpty, $"{failures.Count} failures:\n" + string.Join("\n", failures.OrderBy(f => f, StringComparer.Ordinal).Take(30)));
        Assert.True(requests > Shoppers, $"Only {requests} requests were made.");
        output.WriteLine($"Load: {requests} storefront requests by {Shoppers} shoppers in {Duration.TotalSeconds:F0} s.");
        var memoryAtEnd = ServiceProcesses.ResidentMegabytes(processes);
        foreach (var (replica, end) in memoryAtEnd.OrderBy(r => r.Key))
        {
            output.WriteLine($"Load: {replica} resident MB start {memoryAtStart.GetValueOrDefault(replica)}, " +
                $"after warm-up {memoryAfterWarmUp?.GetValueOrDefault(replica)}, end {end}");
        }
    }
}
