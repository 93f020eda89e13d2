using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Shop.Bench.Load;

/// <summary>
/// Runs one <c>wrk</c> process per target at the same time (wrk drives one host:port), one thread each,
/// the spec's connections shared out between them. Requests/s are summed; p50/p99 are the highest of the
/// per-target figures. Header rotation is a small generated Lua script.
/// </summary>
public sealed class WrkLoadGenerator(string executable = "wrk") : ILoadGenerator
{
    public string Name => "wrk";

    public static bool IsInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(directory => File.Exists(Path.Combine(directory, "wrk")));

    public async Task<LoadResult> RunAsync(LoadSpec spec, CancellationToken cancellationToken)
    {
        var script = spec.Headers.Count > 1 ? WriteRotationScript(spec.Headers) : null;
        try
        {
            var seconds = Math.Max(1, (int)Math.Round(spec.Duration.TotalSeconds));
            var runs = spec.Targets.Select((target, i) =>
            {
                var connections = Math.Max(1, spec.Connections / spec.Targets.Count + (i < spec.Connections % spec.Targets.Count ? 1 : 0));
                return RunOneAsync(new Uri(target, spec.PathAndQuery), connections, seconds, spec, script, cancellationToken);
            }).ToList();
            var outputs = await Task.WhenAll(runs);
            return new LoadResult(
                spec.Name,
                Name,
                Requests: outputs.Sum(o => o.Requests),
                Non2xx: outputs.Sum(o => o.Non2xx),
                Errors: outputs.Sum(o => o.SocketErrors),
                Elapsed: TimeSpan.FromSeconds(outputs.Max(o => o.Seconds)),
                RequestsPerSecond: outputs.Sum(o => o.RequestsPerSecond),
                P50Milliseconds: outputs.Max(o => o.P50Milliseconds),
                P99Milliseconds: outputs.Max(o => o.P99Milliseconds));
        }
        finally
        {
            if (script is not null)
            {
                File.Delete(script);
            }
        }
    }

    private async Task<WrkOutput> RunOneAsync(
        Uri url, int connections, int seconds, LoadSpec spec, string? script, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "10s" })
        {
            start.ArgumentList.Add(argument);
        }
        if (script is not null)
        {
            start.ArgumentList.Add("-s");
            start.ArgumentList.Add(script);
        }
        else if (spec.Headers.Count == 1)
        {
            foreach (var (name, value) in spec.Headers[0])
            {
                start.ArgumentList.Add("-H");
                start.ArgumentList.Add($"{name}: {value}");
            }
        }
        start.ArgumentList.Add(url.ToString());

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {await stderr}\n{output}");
        }
        return WrkOutputParser.Parse(output);
    }

    /// <summary>Each request takes the next header set; wrk runs the script once per thread.</summary>
    private static string WriteRotationScript(IReadOnlyList<IReadOnlyDictionary<string, string>> headerSets)
    {
        var lua = new StringBuilder("local sets = {\n");
        foreach (var set in headerSets)
        {
            lua.Append("  {");
            foreach (var (name, value) in set)
            {
                lua.Append(CultureInfo.InvariantCulture, $"[{Quote(name)}] = {Quote(value)}, ");
            }
            lua.Append("},\n");
        }
        lua.Append("""
            }
            local i = 0
            request = function()
              i = i + 1
              if i > #sets then i = 1 end
              return wrk.format(nil, nil, sets[i])
            end
            """);
        var path = Path.Combine(Path.GetTempPath(), $"shop-bench-{Guid.NewGuid():N}.lua");
        File.WriteAllText(path, lua.ToString());
        return path;
    }

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
