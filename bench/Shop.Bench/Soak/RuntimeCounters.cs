using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;

namespace Shop.Bench.Soak;

/// <summary>
/// A replica's managed heap, read from outside the process: an EventPipe session over the runtime's diagnostics
/// socket asks the <c>System.Runtime</c> event source for its counters every interval, exactly as
/// <c>dotnet-counters</c> does, so Shop exposes nothing new and the replica runs unchanged. Keeps the latest
/// <c>gc-heap-size</c> (bytes in use on the GC heap, GC.GetTotalMemory) and <c>gc-committed</c> (memory the GC
/// has committed), both in MB. NaN until the first report, or when the process cannot be reached.
/// </summary>
public sealed class RuntimeCounters : IDisposable
{
    private const string HeapCounter = "gc-heap-size";
    private const string CommittedCounter = "gc-committed";

    private readonly EventPipeSession? _session;
    private readonly Task _reading = Task.CompletedTask;
    private double _heap = double.NaN;
    private double _committed = double.NaN;

    private RuntimeCounters(EventPipeSession? session, string? failure)
    {
        _session = session;
        Failure = failure;
        if (session is not null)
        {
            _reading = Task.Run(() => Read(session));
        }
    }

    /// <summary>Why the counters could not be read (null while they can).</summary>
    public string? Failure { get; private set; }

    public double HeapMegabytes => Volatile.Read(ref _heap);

    public double CommittedMegabytes => Volatile.Read(ref _committed);

    public static RuntimeCounters Start(int pid, TimeSpan interval)
    {
        try
        {
            var provider = new EventPipeProvider("System.Runtime", EventLevel.Informational, keywords: 0,
                new Dictionary<string, string>
                {
                    ["EventCounterIntervalSec"] = Math.Max(1, (int)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture),
                });
            // A small buffer: the counters are a few events per interval, and the session lives inside the measured process.
            var session = new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false, circularBufferMB: 4);
            return new RuntimeCounters(session, null);
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            return new RuntimeCounters(null, ex.Message);
        }
    }

    private void Read(EventPipeSession session)
    {
        try
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Dynamic.All += OnEvent;
            source.Process();
        }
        catch (Exception ex)
        {
            // The replica stopped, or the stream broke: the soak goes on with RSS alone for it.
            Failure ??= ex.Message;
        }
    }

    private void OnEvent(TraceEvent traceEvent)
    {
        if (traceEvent.EventName != "EventCounters"
            || traceEvent.PayloadValue(0) is not IDictionary<string, object> payload
            || payload.TryGetValue("Payload", out var inner) is false
            || inner is not IDictionary<string, object> fields
            || fields.TryGetValue("Name", out var name) is false)
        {
            return;
        }
        if (!fields.TryGetValue("Mean", out var mean))
        {
            return;
        }
        var value = Convert.ToDouble(mean, CultureInfo.InvariantCulture);
        switch (name as string)
        {
            case HeapCounter: Volatile.Write(ref _heap, value); break;
            case CommittedCounter: Volatile.Write(ref _committed, value); break;
        }
    }

    public void Dispose()
    {
        if (_session is null)
        {
            return;
        }
        try
        {
            _session.Stop();
        }
        catch (Exception ex) when (ex is DiagnosticsClientException or IOException or TimeoutException or ServerNotAvailableException)
        {
            // The replica is already gone; its session went with it.
        }
        _reading.Wait(TimeSpan.FromSeconds(10));
        _session.Dispose();
    }
}
