using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.ServiceDefaults.RateLimiting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Distributed rate limiting: ASP.NET Core's own limiters count per process, so three replicas would admit three
/// times the limit. Here every policy counts in Redis through the process's one multiplexer
/// (<see cref="RedisClientExtensions.AddShopRedisClient{TBuilder}"/> must be called too); see
/// <see cref="RateLimitCounting"/> for how, and for what happens when Redis fails.
/// </summary>
public static class RateLimitingExtensions
{
    /// <summary>
    /// Registers the policies. There is deliberately no global limiter: only endpoints that opt in with
    /// <c>RequireRateLimiting(name)</c> are limited, so <c>/health</c>, <c>/alive</c> and static files never are,
    /// and adding an endpoint never silently puts it under a limit. The service still calls
    /// <c>app.UseRateLimiter()</c> where it fits its pipeline (after authentication, so a signed-in shopper is
    /// partitioned by user). A policy whose numbers are missing from configuration stops the service at start.
    /// </summary>
    public static TBuilder AddShopRateLimiting<TBuilder>(this TBuilder builder, Action<ShopRateLimitingBuilder> declarePolicies)
        where TBuilder : IHostApplicationBuilder
    {
        var policies = new ShopRateLimitingBuilder();
        declarePolicies(policies);

        var services = builder.Services;
        services.AddOptions<ShopRateLimitingOptions>().BindConfiguration(ShopRateLimitingOptions.SectionName);
        foreach (var policy in policies.Policies.Values)
        {
            services.AddOptions<RateLimitPolicyOptions>(policy.Name)
                .BindConfiguration($"{ShopRateLimitingOptions.SectionName}:Policies:{policy.Name}")
                .Validate(policy.IsValid,
                    $"{ShopRateLimitingOptions.SectionName}:Policies:{policy.Name} ({policy.Algorithm}) needs {policy.Requirement} in configuration.")
                .ValidateOnStart();
        }
        services.TryAddSingleton<RateLimitingMetrics>();
        services.TryAddSingleton<RateLimitCounting>();
        services.TryAddSingleton(new RateLimitingBaseline(builder.IsBaselineOn(BaselineExtensions.InMemoryRateLimiter,
            "every rate-limit policy counts in this replica's memory, so N replicas admit up to N times each limit.")));
        services.TryAddSingleton(sp => new ShopRateLimiter(policies.Policies, sp.GetRequiredService<RateLimitCounting>()));
        services.AddRateLimiter(options =>
        {
            // The middleware's default is 503, which tells clients and proxies the server is failing.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, cancellationToken) =>
                RateLimitRejectionResponse.WriteAsync(context, policies.RejectionWriter, cancellationToken);
            foreach (var policy in policies.Policies.Values.Where(policy => policy.PartitionBy is not null))
            {
                options.AddPolicy(policy.Name, context =>
                    context.RequestServices.GetRequiredService<RateLimitCounting>().For(policy, context));
            }
        });
        return builder;
    }

    /// <summary>
    /// <c>POST /admin/rate-limits/reset</c> (admin key, see <see cref="AdminApiKey"/>): deletes every limiter key,
    /// for every replica at once, and answers <c>{ "deleted": n }</c>. The AppHost's "Reset rate limits"
    /// dashboard command calls it.
    /// </summary>
    public static IEndpointConventionBuilder MapRateLimitReset(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(RateLimitReset.Path, RateLimitReset.ResetAsync)
            .RequireAdminApiKey()
            .WithName("ResetRateLimits")
            .ExcludeFromDescription();
}
