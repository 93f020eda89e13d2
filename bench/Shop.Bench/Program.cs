using Shop.Bench;

// Shop's benchmark: starts the whole app (Aspire.Hosting.Testing) in three configurations, measures the five
// scenarios of docs/benchmarks.md and rewrites that file and its chart.
//   dotnet run --project bench/Shop.Bench -c Release            (full run, about five minutes)
//   dotnet run --project bench/Shop.Bench -c Release -- --quick (smoke run, a few seconds per scenario)
var options = BenchOptions.Parse(args);
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
await BenchRunner.RunAsync(options, Console.Out, cancel.Token);
