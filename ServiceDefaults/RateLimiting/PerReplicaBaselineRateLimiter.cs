using System.Threading.RateLimiting;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// DEMONSTRATION only (<c>Baseline:InMemoryRateLimiter</c>): the policy's in-process limiter, the one
/// ASP.NET Core offers out of the box, used for every request instead of Redis. Each replica then counts on
/// its own, so N replicas admit up to N times the limit; the benchmark measures exactly that. Rejections
/// still carry the policy, so the 429 and its headers look the same as with Redis.
/// </summary>
internal sealed class PerReplicaBaselineRateLimiter(RateLimiter local, RateLimitPolicyOptions options, string policy)
    : RateLimiter
{
    public override TimeSpan? IdleDuration => local.IdleDuration;

    public override RateLimiterStatistics? GetStatistics() => local.GetStatistics();

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Wrap(local.AttemptAcquire(permitCount));

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        Wrap(await local.AcquireAsync(permitCount, cancellationToken));

    private RateLimitLease Wrap(RateLimitLease lease) => lease.IsAcquired
        ? lease
        : new RejectedLease(new RateLimitRejection(policy, RateLimitRejectionReason.Limit,
            options.RetryAfterSeconds(lease), options.Limit), lease);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            local.Dispose();
        }
        base.Dispose(disposing);
    }

    protected override ValueTask DisposeAsyncCore() => local.DisposeAsync();
}
