using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.Web.Frontend.Accounts;

/// <summary>
/// Brute-force protection per account name: at most <c>RateLimiting:Policies:sign-in</c> attempts per
/// window for one account, counted in Redis, so an attacker who spreads guesses over every replica (or over
/// many addresses) still gets that many in total. The endpoint policy <c>sign-in-client</c> limits each
/// client; a rate-limit policy partitions a request one way only, so this second limit is checked in the
/// handler. It runs BEFORE the password is verified and counts every attempt, right or wrong: a blocked
/// attempt then looks the same whether the password was right or not, and costs no PBKDF2 work.
/// Fails closed: without Redis, a per-replica count would multiply an attacker's budget by the replica count.
/// </summary>
public sealed class SignInAttemptLimiter(ShopRateLimiter limiter, IOptionsMonitor<AccountOptions> accounts)
{
    public const string Policy = "sign-in";

    /// <summary>Longer names are never accounts (user ids are at most 64 characters), so they are not counted.</summary>
    private const int MaxUserNameLength = 64;

    /// <summary>Null when the attempt may go ahead; otherwise the rejection to answer with.</summary>
    public ValueTask<RateLimitRejection?> TryAcquireAsync(string? userName, CancellationToken cancellationToken) =>
        AccountKey(userName) is { } account
            ? limiter.TryAcquireAsync(Policy, RateLimitPartitions.Account(account), cancellationToken)
            : ValueTask.FromResult<RateLimitRejection?>(null);

    // Every spelling the verifier accepts for an account ("Alice ", "ALICE") must land on that account's
    // counter, so known names are mapped with the verifier's own comparison; unknown names are still counted
    // (per spelling), which keeps "is this an account?" unanswerable from the limiter's behaviour.
    private string? AccountKey(string? userName)
    {
        var name = userName?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxUserNameLength)
        {
            return null;
        }
        return accounts.CurrentValue.Users.FirstOrDefault(
            u => string.Equals(u.UserId, name, StringComparison.OrdinalIgnoreCase))?.UserId ?? name;
    }
}
