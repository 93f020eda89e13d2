using Shop.Bench.Load;
using Shop.Bench.Report;

namespace Shop.Bench.Soak;

/// <summary>Everything a soak run measured, for its report and its console summary.</summary>
public sealed record SoakResult(
    SoakOptions Options,
    MachineInfo Machine,
    string? Note,
    IReadOnlyList<ReplicaProcess> Replicas,
    IReadOnlyList<string> Paths,
    int StorefrontReplicas,
    LoadResult Load,
    IReadOnlyList<SoakSample> Samples,
    IReadOnlyList<ReplicaDrift> Drifts,
    IReadOnlyList<string> Notes);
