using System.Diagnostics;

namespace Shop.AppHost.Redis;

/// <summary>Asks this machine: does docker/podman really answer, and where is redis-server?</summary>
public sealed class MachineRedisHostProbes : IRedisHostProbes
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

    public string? AnsweringContainerRuntime() =>
        new[] { "docker", "podman" }.FirstOrDefault(runtime => FindOnPath(runtime) is { } path && ServerAnswers(path));

    public string? RedisServerPath() => FindOnPath("redis-server");

    /// <summary>
    /// A docker CLI without an engine is common (it is on this very machine), so "on PATH" is not enough:
    /// the engine must report its version within two seconds.
    /// </summary>
    private static bool ServerAnswers(string cli)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(cli, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }
            var output = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(ProbeTimeout))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }
            return process.ExitCode == 0 && !string.IsNullOrWhiteSpace(output.Result);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    public static string? FindOnPath(string executable)
    {
        var names = OperatingSystem.IsWindows() ? [executable + ".exe", executable] : new[] { executable };
        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(dir => names.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }
}
