using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Shop.Bench.Load;

/// <summary>
/// Runs one <c>wrk</c> process per target at the same time (wrk drives one host:port), one thread each,
/// the spec's connections shared out between them. Requests/s are summed; p50/p99 are the highest of the
/// per-target figures. Header and path rotation and the target rate are a small generated Lua script.
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
        var script = spec.Headers.Count > 1 || spec.Paths.Count > 0 || spec.TargetRequestsPerSecond > 0 ? WriteScript(spec) : null;
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
        // One header set goes on the command line; the script (if any) then sends wrk's own headers.
        if (spec.Headers.Count == 1)
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

    /// <summary>
    /// Each request takes the next header set (when there are several) and the next path (when given); with a
    /// target rate, each connection waits before its next request. wrk runs the script once per thread.
    /// </summary>
    private static string WriteScript(LoadSpec spec)
    {
        IReadOnlyList<IReadOnlyDictionary<string, string>> sets = spec.Headers.Count > 1 ? spec.Headers : [];
        var lua = new StringBuilder("local sets = {\n");
        foreach (var set in sets)
        {
            lua.Append("  {");
            foreach (var (name, value) in set)
            {
                lua.Append(CultureInfo.InvariantCulture, $"[{Quote(name)}] = {Quote(value)}, ");
            }
            lua.Append("},\n");
        }
        lua.Append("}\nlocal paths = {\n");
        foreach (var path in spec.Paths)
        {
            lua.Append(CultureInfo.InvariantCulture, $"  {Quote(path)},\n");
        }
        lua.Append("""
            }
            local i = 0
            local p = 0
            request = function()
              local headers = nil
              local path = nil
              if #sets > 0 then
                i = i + 1
                if i > #sets then i = 1 end
                headers = sets[i]
              end
              if #paths > 0 then
                p = p + 1
                if p > #paths then p = 1 end
                path = paths[p]
              end
              return wrk.format(nil, path, headers)
            end

            """);
        if (spec.TargetRequestsPerSecond > 0)
        {
            // Every connection of every wrk process waits the same time, so together they send at most the target rate.
            lua.Append(CultureInfo.InvariantCulture, $"delay = function() return {DelayMilliseconds(spec)} end\n");
        }
        var file = Path.Combine(Path.GetTempPath(), $"shop-bench-{Guid.NewGuid():N}.lua");
        File.WriteAllText(file, lua.ToString());
        return file;
    }

    /// <summary>wrk's <c>delay()</c> is whole milliseconds per connection between a response and the next request.</summary>
    public static long DelayMilliseconds(LoadSpec spec) =>
        Math.Max(1, (long)Math.Round(1000.0 * spec.Connections / spec.TargetRequestsPerSecond));

    private static string Quote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
