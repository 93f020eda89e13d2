using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Rejections by policy and reason. The framework's own meter counts rejections per endpoint but cannot tell
/// "the shopper was too fast" from "Redis was down and sign-in failed closed"; this counter can.
/// </summary>
public sealed class RateLimitingMetrics
{
    public const string RejectionsInstrument = "shop.ratelimit.rejections";

    private readonly Counter<long> _rejections;

    public RateLimitingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ShopMeters.RateLimiting);
        _rejections = meter.CreateCounter<long>(RejectionsInstrument, unit: "{request}",
            description: "Requests refused by a Shop rate-limit policy, by policy and reason (limit, redis-unavailable).");
    }

    internal void Rejected(RateLimitRejection rejection) =>
        _rejections.Add(1,
            new KeyValuePair<string, object?>("policy", rejection.Policy),
            new KeyValuePair<string, object?>("reason", rejection.ReasonTag));
}
