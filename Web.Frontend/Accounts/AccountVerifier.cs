using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Shop.Web.Frontend.Accounts;

/// <summary>
/// Checks a user name and password against the configured demo accounts. An unknown user name costs the
/// same PBKDF2 work as a wrong password (a dummy hash is verified), and both give the same answer, so
/// neither the message nor the timing tells which accounts exist.
/// </summary>
public sealed class AccountVerifier(IOptionsMonitor<AccountOptions> options)
{
    private static readonly PasswordHasher<DemoAccount> Hasher = new();
    private static readonly string DummyHash = Hasher.HashPassword(new DemoAccount(), "not-a-real-password");

    public DemoAccount? Verify(string? userName, string? password)
    {
        var account = options.CurrentValue.Users.FirstOrDefault(
            u => string.Equals(u.UserId, userName?.Trim(), StringComparison.OrdinalIgnoreCase));
        var result = Hasher.VerifyHashedPassword(account ?? new DemoAccount(), account?.PasswordHash ?? DummyHash, password ?? "");
        return account is not null && result != PasswordVerificationResult.Failed ? account : null;
    }

    /// <summary>For producing the hashes in appsettings.json.</summary>
    public static string HashPassword(string password) => Hasher.HashPassword(new DemoAccount(), password);
}
