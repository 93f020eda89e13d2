namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>The <c>RateLimiting</c> section. Per-policy limits live under <c>RateLimiting:Policies:{policy}</c>.</summary>
public sealed class ShopRateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>
    /// False turns every policy into "no limit" while keeping the endpoints' <c>RequireRateLimiting</c>
    /// valid: for measuring the limiter's cost (on against off) and for emergencies.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
