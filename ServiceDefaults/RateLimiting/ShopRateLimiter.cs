using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Checks a policy by hand, with the same Redis counters, fallback and rejection as the middleware. An
/// endpoint has exactly one rate-limit policy and one partition per request, so a second limit on the same
/// request (sign-in per account as well as per client; a cart write limited per cart on a page that is also
/// limited per shopper) is checked in the handler with this service, and its rejection answered with
/// <see cref="Reject"/> so the client sees exactly what the middleware would have sent.
/// </summary>
public sealed class ShopRateLimiter : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, RateLimitPolicy> _policies;
    private readonly RateLimitCounting _counting;
    private readonly ConcurrentDictionary<string, PartitionedRateLimiter<string>> _limiters = new(StringComparer.Ordinal);

    internal ShopRateLimiter(IReadOnlyDictionary<string, RateLimitPolicy> policies, RateLimitCounting counting) =>
        (_policies, _counting) = (policies, counting);

    /// <summary>
    /// Takes one permit of <paramref name="policy"/> for <paramref name="partition"/> (a value such as
    /// <see cref="RateLimitPartitions.Account"/>; the policy name is prefixed here). Null when admitted,
    /// otherwise why not: the limit (429) or, for a fail-closed policy, Redis being unreachable (503).
    /// </summary>
    public async ValueTask<RateLimitRejection?> TryAcquireAsync(string policy, string partition, CancellationToken cancellationToken)
    {
        var limiter = _limiters.GetOrAdd(policy, name =>
        {
            var declared = _policies.TryGetValue(name, out var found)
                ? found
                : throw new InvalidOperationException($"Rate-limit policy '{name}' is not declared in AddShopRateLimiting.");
            // The partitioned limiter keeps one limiter per partition and drops idle ones, like the middleware's.
            return PartitionedRateLimiter.Create<string, string>(value => _counting.For(declared, value));
        });

        using var lease = await limiter.AcquireAsync(partition, 1, cancellationToken);
        return lease.IsAcquired ? null : RateLimitRejectionResponse.RejectionOf(lease);
    }

    /// <summary>
    /// Answers a rejection from <see cref="TryAcquireAsync"/> as the middleware does: counts it, sets the
    /// status, <c>Retry-After</c> and <c>X-RateLimit-*</c>, and stores it in <c>HttpContext.Features</c>.
    /// The body is left to the caller (the storefront returns the bare status, and its status-code page renders it).
    /// </summary>
    public static void Reject(HttpContext context, RateLimitRejection rejection) =>
        RateLimitRejectionResponse.Apply(context, rejection);

    public async ValueTask DisposeAsync()
    {
        foreach (var limiter in _limiters.Values)
        {
            await limiter.DisposeAsync();
        }
    }
}
