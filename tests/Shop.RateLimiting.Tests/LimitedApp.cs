using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.RateLimiting.Tests;

/// <summary>
/// One "replica": a minimal service wired exactly as the Shop services wire the limiter (AddShopRedisClient +
/// AddShopRateLimiting + UseRateLimiter), on a TestServer with its own Redis multiplexer. The partition is
/// taken from the <c>X-Partition</c> header so each test has its own counters.
/// </summary>
internal sealed class LimitedApp : IAsyncDisposable
{
    public const string AdminKey = "test-admin-key";
    public const int Limit = 10;

    private readonly WebApplication _app;

    private LimitedApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<LimitedApp> StartAsync(string redisConnectionString, IDictionary<string, string?>? configuration = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:cache"] = redisConnectionString,
            ["Admin:ApiKey"] = AdminKey,
            ["RedisClient:CommandTimeout"] = "00:00:05",
            ["RedisClient:StallBreak"] = "00:00:05",
            // The numbers live in configuration only, as in the services' appsettings.json.
            ["RateLimiting:Policies:fixed:PermitLimit"] = $"{Limit}",
            ["RateLimiting:Policies:fixed:Window"] = "00:01:00",
            ["RateLimiting:Policies:sliding:PermitLimit"] = $"{Limit}",
            ["RateLimiting:Policies:sliding:Window"] = "00:01:00",
            ["RateLimiting:Policies:bucket:TokenLimit"] = $"{Limit}",
            ["RateLimiting:Policies:bucket:TokensPerPeriod"] = "1",
            ["RateLimiting:Policies:bucket:ReplenishmentPeriod"] = "00:01:00",
            ["RateLimiting:Policies:sign-in:PermitLimit"] = "3",
            ["RateLimiting:Policies:sign-in:Window"] = "00:01:00",
            ["RateLimiting:Policies:manual:PermitLimit"] = $"{Limit}",
            ["RateLimiting:Policies:manual:Window"] = "00:01:00",
        });
        builder.Configuration.AddInMemoryCollection(configuration ?? new Dictionary<string, string?>());

        builder.AddShopRedisClient();
        builder.AddShopRateLimiting(policies => policies
            .Add("fixed", RateLimitAlgorithm.FixedWindow, Partition)
            .Add("sliding", RateLimitAlgorithm.SlidingWindow, Partition)
            .Add("bucket", RateLimitAlgorithm.TokenBucket, Partition)
            .Add("sign-in", RateLimitAlgorithm.FixedWindow, Partition, RedisFailureMode.FailClosed)
            // Checked by hand in /manual, like the storefront's per-account sign-in limit.
            .Add("manual", RateLimitAlgorithm.FixedWindow));

        var app = builder.Build();
        app.UseRateLimiter();
        foreach (var policy in new[] { "fixed", "sliding", "bucket", "sign-in" })
        {
            app.MapGet($"/{policy}", () => "ok").RequireRateLimiting(policy);
        }
        app.MapGet("/unlimited", () => "ok");
        app.MapGet("/manual", async (HttpContext context, ShopRateLimiter limiter) =>
        {
            if (await limiter.TryAcquireAsync("manual", Partition(context) ?? "default", context.RequestAborted) is { } rejection)
            {
                ShopRateLimiter.Reject(context, rejection);
                return Results.Empty;
            }
            return Results.Text("ok");
        });
        app.MapRateLimitReset();
        await app.StartAsync();
        return new LimitedApp(app);
    }

    public static HttpRequestMessage Get(string policy, string partition) =>
        new(HttpMethod.Get, "/" + policy) { Headers = { { "X-Partition", partition } } };

    public Task<HttpResponseMessage> SendAsync(string policy, string partition) => Client.SendAsync(Get(policy, partition));

    /// <summary>Records this app's <c>shop.ratelimit.rejections</c> (other apps' meters are ignored).</summary>
    public RejectionRecorder RecordRejections() => new(Services.GetRequiredService<IMeterFactory>());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The <c>X-Partition</c> header; <c>none</c> means "not limited by this policy" (null).</summary>
    private static string? Partition(HttpContext context) =>
        context.Request.Headers["X-Partition"].ToString() switch
        {
            "none" => null,
            { Length: > 0 } partition => partition,
            _ => "default",
        };
}
