using System.Threading.RateLimiting;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// A refused lease that carries the <see cref="RateLimitRejection"/>, so one OnRejected callback can answer
/// every policy correctly whichever limiter (Redis or local) refused.
/// </summary>
internal sealed class RejectedLease(RateLimitRejection rejection, RateLimitLease? inner) : RateLimitLease
{
    private static readonly string[] Names = [RateLimitRejection.MetadataName.Name, MetadataName.RetryAfter.Name];

    public override bool IsAcquired => false;

    public override IEnumerable<string> MetadataNames => Names;

    public override bool TryGetMetadata(string metadataName, out object? metadata)
    {
        metadata = metadataName == RateLimitRejection.MetadataName.Name ? rejection
            : metadataName == MetadataName.RetryAfter.Name ? TimeSpan.FromSeconds(rejection.RetryAfterSeconds)
            : null;
        return metadata is not null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner?.Dispose();
        }
        base.Dispose(disposing);
    }
}
