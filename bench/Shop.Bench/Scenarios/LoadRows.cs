using Shop.Bench.Load;
using Shop.Bench.Report;
using Shop.Testing;

namespace Shop.Bench.Scenarios;

/// <summary>The columns every throughput table shares.</summary>
internal static class LoadRows
{
    public static readonly string[] Columns = ["req/s", "p50 ms", "p99 ms", "requests", "non-2xx", "errors"];

    public static string[] Cells(LoadResult? result) => result is null
        ? ["not run", "", "", "", "", ""]
        :
        [
            Format.Rate(result.RequestsPerSecond), Format.Ms(result.P50Milliseconds), Format.Ms(result.P99Milliseconds),
            Format.Count(result.Requests), Format.Count(result.Non2xx), Format.Count(result.Errors),
        ];

    public static double Rate(LoadResult? result) => result?.RequestsPerSecond ?? double.NaN;

    /// <summary>
    /// Client addresses from 198.18.0.0/15 (reserved for benchmarks, RFC 2544), one per simulated client, sent as
    /// the gateway sends them (<see cref="TestSecrets.AsGatewayFor"/>): many clients, each within its rate-limit
    /// budget, instead of one client that the limiter would rightly stop.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ManyClients(int count, int block) =>
        [.. Enumerable.Range(0, count).Select(i => (IReadOnlyDictionary<string, string>)TestSecrets.AsGatewayFor(ClientAddress(block, i)))];

    /// <summary>The <paramref name="index"/>-th address of a block of 8,192 (blocks 0-15 keep scenarios apart).</summary>
    public static string ClientAddress(int block, int index)
    {
        var n = block % 16 * 8192 + index % 8192;
        return $"198.{18 + n / 65536}.{n / 256 % 256}.{n % 256}";
    }
}
