using Shop.Bench;
using Shop.Bench.Soak;

// Shop's benchmark: starts the whole app (Aspire.Hosting.Testing) in three configurations, measures the six
// scenarios of docs/benchmarks.md and rewrites that file and its chart.
//   dotnet run --project bench/Shop.Bench -c Release            (full run, about seven minutes)
//   dotnet run --project bench/Shop.Bench -c Release -- --quick (smoke run, a few seconds per scenario)
//   dotnet run --project bench/Shop.Bench -c Release -- --redis garnet (the same run on the embedded Garnet)
//   dotnet run --project bench/Shop.Bench -c Release -- --redis cluster (the same run on a 6-node Redis Cluster)
//   dotnet run --project bench/Shop.Bench -c Release -- --soak 30m (memory under a steady load; docs/soak.md)
var options = BenchOptions.Parse(args);
if (options.Redis is { } server)
{
    // Before anything asks the harness which server to start (it reads the variable once).
    Environment.SetEnvironmentVariable(Shop.Testing.TestRedis.Variable, server);
}
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
if (options.Soak is not null)
{
    var soak = await SoakRunner.RunAsync(options, Console.Out, cancel.Token);
    // A replica that left the band fails the command, so a script running the soak notices.
    return soak.Drifts.Any(d => d.OutsideTolerance) ? 3 : 0;
}
await BenchRunner.RunAsync(options, Console.Out, cancel.Token);
return 0;
