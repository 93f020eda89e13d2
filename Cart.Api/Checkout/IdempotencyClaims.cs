using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// The <c>Idempotency-Key</c> claims. Two identical checkouts can arrive at two replicas at the same instant
/// (a double click, a client retry after a timeout); <c>SET NX</c> lets exactly one of them run, and the other
/// waits for its order instead of reserving stock a second time.
/// </summary>
public sealed class IdempotencyClaims(IConnectionMultiplexer redis)
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxKeyLength = 100;

    private const string PendingPrefix = "pending:";
    private const string OrderPrefix = "order:";

    /// <summary>
    /// A claim that is still pending after this long belongs to a replica that died mid-checkout; it expires so a
    /// retry can proceed. Longer than any checkout (catalog calls are bounded by the resilience timeouts).
    /// </summary>
    public static readonly TimeSpan PendingTtl = TimeSpan.FromMinutes(2);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Printable ASCII, 1–100 characters: it becomes part of a Redis key and of log lines.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    public static string NewPendingToken() => PendingPrefix + Guid.NewGuid().ToString("N");

    public static string CompletedValue(string orderId) => OrderPrefix + orderId;

    public Task<bool> TryClaimAsync(string claimKey, string token) =>
        Db.StringSetAsync(claimKey, token, PendingTtl, When.NotExists);

    /// <summary>The order id if the claimed checkout completed; null while pending or when there is no claim.</summary>
    public async Task<(bool Exists, string? OrderId)> ReadAsync(string claimKey)
    {
        var value = await Db.StringGetAsync(claimKey);
        if (value.IsNull)
        {
            return (false, null);
        }
        var text = (string)value!;
        return (true, text.StartsWith(OrderPrefix, StringComparison.Ordinal) ? text[OrderPrefix.Length..] : null);
    }

    public Task ReleaseAsync(string claimKey, string token) =>
        Db.ScriptEvaluateAsync(CheckoutScripts.ReleaseClaim, [claimKey], [token]);
}
