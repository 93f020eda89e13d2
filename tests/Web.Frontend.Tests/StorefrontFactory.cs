using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Tests;

/// <summary>
/// One storefront "replica" against the fixture's real Redis, with its own multiplexer (libraries dispose
/// the one they are given). Two factories on one Redis behave like two replicas behind the proxy.
/// </summary>
public sealed class StorefrontFactory(
    RedisServer redis, TestCatalog? catalog = null, TestCart? cart = null, ICartApi? cartOverride = null)
    : WebApplicationFactory<Program>
{
    public TestCatalog Catalog { get; } = catalog ?? new TestCatalog();
    public TestCart Cart { get; } = cart ?? new TestCart();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Cart.KeepCartsIn(redis.Connection);
        builder.UseEnvironment("Production");
        builder.UseSetting("ConnectionStrings:cache", redis.ConnectionString);
        foreach (var (key, value) in TestSecrets.ServiceSettings)
        {
            builder.UseSetting(key, value);
        }
        // Page tests sign the demo accounts in many times from one (test-server) address; the sign-in limits
        // are proven with their real values in StorefrontRateLimitingTests.
        builder.UseSetting("RateLimiting:Policies:sign-in:PermitLimit", "1000");
        builder.UseSetting("RateLimiting:Policies:sign-in-client:PermitLimit", "1000");
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<ICatalogApi>(Catalog);
            services.AddSingleton<ICartApi>(cartOverride ?? Cart);
        });
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public static string Token(string html) => Html.AntiforgeryToken(html) ?? "";

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
}

public static class HtmlAssertions
{
    public static string? TestId(this string html, string testId) => Html.TestId(html, testId);
}

public static class RedisFixtureExtensions
{
    /// <summary>
    /// Deletes every key with SCAN + DEL. (RedisServerFixture.FlushAsync sends FLUSHALL, which StackExchange.Redis
    /// refuses without allowAdmin on the connection.)
    /// </summary>
    public static async Task ClearAsync(this RedisServerFixture redis)
    {
        var db = redis.Connection.GetDatabase();
        await foreach (var key in redis.Connection.GetServers()[0].KeysAsync(pattern: "*"))
        {
            await db.KeyDeleteAsync(key);
        }
    }
}
