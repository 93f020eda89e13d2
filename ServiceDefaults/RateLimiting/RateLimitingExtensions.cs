using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.ServiceDefaults.RateLimiting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Distributed rate limiting: ASP.NET Core's own limiters count per process, so three replicas would admit
/// three times the limit. Here every policy counts in Redis through the process's one multiplexer
/// (<see cref="RedisExtensions.AddShopRedis{TBuilder}"/> must be called too).
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>
    /// Registers the policies. There is deliberately no global limiter: only endpoints that opt in with
    /// <c>RequireRateLimiting(name)</c> are limited, so <c>/health</c>, <c>/alive</c> and static files never
    /// are, and adding an endpoint never silently puts it under a limit. The service still calls
    /// <c>app.UseRateLimiter()</c> where it fits its pipeline (after authentication, so a signed-in
    /// shopper is partitioned by user).
    /// </summary>
    public static TBuilder AddShopRateLimiting<TBuilder>(this TBuilder builder, Action<ShopRateLimitingBuilder> configurePolicies)
        where TBuilder : IHostApplicationBuilder
    {
        var policies = new ShopRateLimitingBuilder(builder.Services);
        configurePolicies(policies);

        builder.Services.AddOptions<ShopRateLimitingOptions>().BindConfiguration(ShopRateLimitingOptions.SectionName);
        builder.Services.TryAddSingleton<RateLimitingMetrics>();
        builder.Services.TryAddSingleton<ShopRateLimitPartitions>();
        builder.Services.TryAddSingleton(new RateLimitingBaseline(builder.IsBaselineOn(BaselineExtensions.InMemoryRateLimiter,
            "every rate-limit policy counts in this replica's memory, so N replicas admit up to N times each limit.")));
        builder.Services.TryAddSingleton(services =>
            new ShopRateLimiter(policies.Policies, services.GetRequiredService<ShopRateLimitPartitions>()));
        builder.Services.AddHostedService<RedisConnectionWarmup>();
        builder.Services.AddRateLimiter(options =>
        {
            // The middleware's default is 503, which tells clients and proxies the server is failing.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
                RateLimitRejectionResponse.WriteAsync(context, policies.RejectionWriter, cancellationToken);
            foreach (var policy in policies.Policies.Values.Where(policy => policy.PartitionBy is not null))
            {
                options.AddPolicy(policy.Name, context =>
                    context.RequestServices.GetRequiredService<ShopRateLimitPartitions>().For(policy, context));
            }
        });
        return builder;
    }

    /// <summary>
    /// <c>POST /admin/rate-limits/reset</c> (header <c>X-Api-Key</c> = <c>Catalog:AdminApiKey</c>): deletes
    /// every limiter key, for every replica at once, and answers <c>{ "deleted": n }</c>. The AppHost's
    /// "Reset rate limits" dashboard command calls it.
    /// </summary>
    public static IEndpointConventionBuilder MapRateLimitAdmin(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(RateLimitAdminEndpoint.Path, RateLimitAdminEndpoint.ResetAsync)
            .WithName("ResetRateLimits")
            .ExcludeFromDescription();
}
