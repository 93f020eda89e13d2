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

    /// <summary>Cart.Api's bucket; it refills once an hour, so a test's count is exact.</summary>
    public const int CartTokens = 10;

    protected override IEnumerable<string> ExtraArguments =>
    [
        "RateLimiting:Enabled=true",
        $"RateLimiting:Policies:browse:PermitLimit={BrowseLimit}",
        $"RateLimiting:Policies:browse:Window={BrowseWindow}",
        $"RateLimiting:Policies:sign-in:PermitLimit={SignInLimit}",
        "RateLimiting:Policies:sign-in:Window=00:05:00",
        // Every test client shares the loopback address: the per-client sign-in limit must not be what stops them.
        "RateLimiting:Policies:sign-in-client:PermitLimit=1000",
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
