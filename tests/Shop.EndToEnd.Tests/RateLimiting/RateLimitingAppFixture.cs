namespace Shop.EndToEnd.Tests.RateLimiting;

/// <summary>
/// The whole Shop with the limiter ON and small test limits, passed through the AppHost's <c>RateLimiting</c>
/// section to every replica alike. Its own collection: the shared one turns the limiter off.
/// </summary>
public sealed class RateLimitingAppFixture : ShopAppFixture
{
    /// <summary>Browse: sliding window long enough that a burst on a busy two-core machine fits in it.</summary>
    public const int BrowseLimit = 20;
    public static readonly TimeSpan BrowseWindow = TimeSpan.FromSeconds(30);

    public const int SignInLimit = 5;

    /// <summary>Sign-in POSTs per client address, whatever the account: each test client has an address of its own.</summary>
    public const int SignInClientLimit = 12;

    /// <summary>Requests per client address at the gateway, below anything a test's one client sends but the edge test.</summary>
    public const int EdgeLimit = 150;

    /// <summary>Cart.Api's bucket; it refills once an hour, so a test's count is exact.</summary>
    public const int CartTokens = 10;

    protected override IEnumerable<string> ExtraArguments =>
    [
        "RateLimiting:Enabled=true",
        $"RateLimiting:Policies:browse:PermitLimit={BrowseLimit}",
        $"RateLimiting:Policies:browse:Window={BrowseWindow}",
        $"RateLimiting:Policies:sign-in:PermitLimit={SignInLimit}",
        "RateLimiting:Policies:sign-in:Window=00:05:00",
        $"RateLimiting:Policies:sign-in-client:PermitLimit={SignInClientLimit}",
        $"EdgeLimit:PermitLimit={EdgeLimit}",
        "EdgeLimit:Window=00:05:00",
        $"RateLimiting:Policies:cart-write:TokenLimit={CartTokens}",
        "RateLimiting:Policies:cart-write:TokensPerPeriod=1",
        "RateLimiting:Policies:cart-write:ReplenishmentPeriod=01:00:00",
    ];
}

[CollectionDefinition(Name)]
public sealed class RateLimitingCollection : ICollectionFixture<RateLimitingAppFixture>
{
    public const string Name = "Rate limiting";
}
