using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.RateLimiting.Tests;

internal sealed class RejectionRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public RejectionRecorder(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Name == RateLimitingMetrics.RejectionsInstrument && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? policy = null, reason = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "policy") policy = tag.Value as string;
                if (tag.Key == "reason") reason = tag.Value as string;
            }
            Measurements.Add((policy ?? "", reason ?? "", value));
        });
        _listener.Start();
    }

    public ConcurrentBag<(string Policy, string Reason, long Value)> Measurements { get; } = [];

    public long Count(string policy, string reason) =>
        Measurements.Where(m => m.Policy == policy && m.Reason == reason).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
