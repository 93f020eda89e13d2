using Xunit.Sdk;
using Xunit.v3;

// Each collection starts a whole Shop (seven replicas and Redis). On a two-core machine they run one after
// the other, so timing-sensitive tests (limiter windows, outages) never compete with another app's start-up.
[assembly: Parallelization(Mode = ParallelMode.None)]
