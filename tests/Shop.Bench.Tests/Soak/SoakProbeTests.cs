using System.Diagnostics;
using Shop.Bench.Load;
using Shop.Bench.Soak;

namespace Shop.Bench.Tests.Soak;

/// <summary>The soak's readings, tried on the test process itself: RSS from /proc and the GC heap over EventPipe.</summary>
public sealed class SoakProbeTests
{
    [Fact]
    public void TheResidentSetIsReadFromTheVmRssLineInKilobytes()
    {
        string[] status = ["Name:\tWeb.Frontend", "VmPeak:\t  300000 kB", "VmRSS:\t  204800 kB", "RssAnon:\t  150000 kB"];

        Assert.Equal(204800, ProcFs.ParseResidentKilobytes(status));
        Assert.Null(ProcFs.ParseResidentKilobytes(["Name:\tzombie"]));
    }

    [Fact]
    public void ThisProcessHasAResidentSetAndIsItsOwnAppProcess()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The soak reads /proc.");
        var process = new ReplicaProcess("test", "test", Environment.ProcessId, Environment.ProcessId);

        Assert.InRange(process.ResidentMegabytes(), 10, 100_000);
        Assert.False(ProcFs.IsDotnetRun(Environment.ProcessId));
    }

    [Fact]
    public void TheAppUnderADotnetRunWrapperIsItsChildNotTheWrapper()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The soak reads /proc.");
        // A shell stands in for the wrapper; its child (sleep) is what a replica's app is to `dotnet run`.
        using var wrapper = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "sleep 30 & wait"]) { UseShellExecute = false })!;
        try
        {
            int? app = null;
            for (var attempt = 0; attempt < 50 && app is null or 0; attempt++)
            {
                Thread.Sleep(100);
                app = ProcFs.Children(wrapper.Id).FirstOrDefault();
            }

            Assert.Equal(app, ReplicaProcess.AppProcessOf(wrapper.Id));
            Assert.NotEqual(wrapper.Id, app);
        }
        finally
        {
            wrapper.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task TheGcHeapOfARunningProcessIsReadOverItsDiagnosticsSocket()
    {
        using var counters = RuntimeCounters.Start(Environment.ProcessId, TimeSpan.FromSeconds(1));
        Assert.Null(counters.Failure);
        var keep = new byte[8 * 1024 * 1024];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!double.IsFinite(counters.HeapMegabytes) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }

        Assert.InRange(counters.HeapMegabytes, keep.Length / 1_000_000.0, 100_000);
        Assert.True(double.IsFinite(counters.CommittedMegabytes));
        GC.KeepAlive(keep);
    }

    [Fact]
    public void AProcessThatDoesNotExistGivesAReasonInsteadOfHeapFigures()
    {
        using var counters = RuntimeCounters.Start(int.MaxValue - 1, TimeSpan.FromSeconds(1));

        Assert.NotNull(counters.Failure);
        Assert.True(double.IsNaN(counters.HeapMegabytes));
    }

    [Theory]
    [InlineData(8, 600, 13)]
    [InlineData(8, 100, 80)]
    [InlineData(2, 10_000, 1)]
    public void EachConnectionWaitsSoThatTheConnectionsTogetherKeepToTheTargetRate(int connections, double rate, long milliseconds)
    {
        var spec = new LoadSpec("soak", [new Uri("http://127.0.0.1:1")], "/", connections, TimeSpan.FromMinutes(1))
        {
            TargetRequestsPerSecond = rate,
        };

        Assert.Equal(milliseconds, WrkLoadGenerator.DelayMilliseconds(spec));
    }
}
