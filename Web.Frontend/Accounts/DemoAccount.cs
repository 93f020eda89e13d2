namespace Shop.Web.Frontend.Accounts;

/// <summary>One demo account from configuration <c>Accounts:Users</c> (PBKDF2 hash from PasswordHasher).</summary>
public sealed class DemoAccount
{
    public string UserId { get; set; } = "";
    public string DisplayName { get; set; } = "";
    public string PasswordHash { get; set; } = "";
}

public sealed class AccountOptions
{
    public const string Section = "Accounts";

    public List<DemoAccount> Users { get; set; } = [];
}
