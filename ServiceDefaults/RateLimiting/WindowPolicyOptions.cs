namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// What the fixed and sliding windows share: at most <see cref="PermitLimit"/> requests per
/// <see cref="Window"/>. They differ only in how the window moves and what Retry-After can promise.
/// </summary>
public abstract class WindowPolicyOptions : RateLimitPolicyOptions
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

    internal override int Limit => PermitLimit;

    internal override string? Validate() =>
        PermitLimit <= 0 ? nameof(PermitLimit) : Window < TimeSpan.FromSeconds(1) ? nameof(Window) : null;

    internal override void CopyFrom(RateLimitPolicyOptions defaults)
    {
        var source = (WindowPolicyOptions)defaults;
        (PermitLimit, Window, OnRedisFailure) = (source.PermitLimit, source.Window, source.OnRedisFailure);
    }
}
