using Shop.Bench.Load;

namespace Shop.Bench.Tests;

public sealed class WrkOutputParserTests
{
    private const string Report = """
        Running 8s test @ http://localhost:41234/api/catalog/items?pageSize=12
          1 threads and 16 connections
          Thread Stats   Avg      Stdev     Max   +/- Stdev
            Latency   812.34us    1.02ms  31.50ms   95.12%
            Req/Sec    10.12k   842.11    11.40k    81.25%
          Latency Distribution
             50%  612.00us
             75%  901.00us
             90%    1.20ms
             99%    4.75ms
          80567 requests in 8.00s, 61.23MB read
          Non-2xx or 3xx responses: 17
          Socket errors: connect 0, read 2, write 0, timeout 3
        Requests/sec:  10070.88
        Transfer/sec:      7.65MB
        """;

    [Fact]
    public void AReportWithLatencyDistributionGivesRatePercentilesAndFailures()
    {
        var output = WrkOutputParser.Parse(Report);

        Assert.Equal(80567, output.Requests);
        Assert.Equal(8.0, output.Seconds, 3);
        Assert.Equal(10070.88, output.RequestsPerSecond, 2);
        Assert.Equal(0.612, output.P50Milliseconds, 3);
        Assert.Equal(4.75, output.P99Milliseconds, 3);
        Assert.Equal(17, output.Non2xx);
        Assert.Equal(5, output.SocketErrors);
    }

    [Fact]
    public void SecondsAndMinutesAreConvertedToMilliseconds()
    {
        var slow = Report.Replace("50%  612.00us", "50%    1.50s", StringComparison.Ordinal)
            .Replace("99%    4.75ms", "99%    2.00m", StringComparison.Ordinal);

        var output = WrkOutputParser.Parse(slow);

        Assert.Equal(1500, output.P50Milliseconds, 3);
        Assert.Equal(120_000, output.P99Milliseconds, 3);
    }

    [Fact]
    public void ACleanRunHasNoNon2xxLineAndCountsZero()
    {
        var clean = Report.Replace("  Non-2xx or 3xx responses: 17\n", "", StringComparison.Ordinal);

        Assert.Equal(0, WrkOutputParser.Parse(clean).Non2xx);
    }

    [Fact]
    public void TextThatIsNotAWrkReportIsRejected() =>
        Assert.Throws<FormatException>(() => WrkOutputParser.Parse("unable to connect to localhost:1 Connection refused"));

    [Fact]
    public void AReportWithoutLatencyDistributionIsRejected()
    {
        var withoutLatency = string.Join('\n', Report.Split('\n').Where(line => !line.TrimStart().StartsWith("50%", StringComparison.Ordinal)));

        Assert.Throws<FormatException>(() => WrkOutputParser.Parse(withoutLatency));
    }
}
