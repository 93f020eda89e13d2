using Microsoft.Extensions.Options;
using Shop.Web.Frontend.Accounts;

namespace Shop.Web.Frontend.Tests;

public sealed class AccountVerifierTests
{
    private static AccountVerifier Verifier() => new(new StaticOptions(new AccountOptions
    {
        Users = [new DemoAccount { UserId = "alice", DisplayName = "Alice", PasswordHash = AccountVerifier.HashPassword("right-password") }],
    }));

    [Fact]
    public void TheRightPasswordSignsTheAccountIn() =>
        Assert.Equal("alice", Verifier().Verify("alice", "right-password")?.UserId);

    [Fact]
    public void TheUserNameIsMatchedIgnoringCaseAndSpaces() =>
        Assert.Equal("alice", Verifier().Verify(" Alice ", "right-password")?.UserId);

    [Theory]
    [InlineData("alice", "wrong-password")]
    [InlineData("alice", "")]
    [InlineData("mallory", "right-password")]
    [InlineData(null, null)]
    public void AWrongPasswordOrUnknownUserIsRejected(string? user, string? password) =>
        Assert.Null(Verifier().Verify(user, password));

    [Fact]
    public void TheShippedDemoHashesArePbkdf2AndMatchTheDocumentedPasswords()
    {
        var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json")));
        var users = json.RootElement.GetProperty("Accounts").GetProperty("Users").EnumerateArray()
            .Select(u => new DemoAccount
            {
                UserId = u.GetProperty("UserId").GetString()!,
                DisplayName = u.GetProperty("DisplayName").GetString()!,
                PasswordHash = u.GetProperty("PasswordHash").GetString()!,
            }).ToList();
        var verifier = new AccountVerifier(new StaticOptions(new AccountOptions { Users = users }));

        foreach (var user in new[] { "alice", "bob", "carol" })
        {
            Assert.Equal(user, verifier.Verify(user, $"{user}-shops-2026")?.UserId);
        }
    }

    private sealed class StaticOptions(AccountOptions value) : IOptionsMonitor<AccountOptions>
    {
        public AccountOptions CurrentValue => value;
        public AccountOptions Get(string? name) => value;
        public IDisposable? OnChange(Action<AccountOptions, string?> listener) => null;
    }
}
