namespace Shop.Bench.Soak;

/// <summary>One reading of one replica: time since the load started, RSS and the GC's figures (MB; NaN when unknown).</summary>
public sealed record SoakSample(TimeSpan Elapsed, string Replica, double RssMegabytes, double GcHeapMegabytes, double GcCommittedMegabytes);
