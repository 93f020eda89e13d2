using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shop.ServiceDefaults.RateLimiting;

/// <summary>
/// Declares a service's rate-limit policies. Each policy is named, partitioned by a value of the request,
/// counted in Redis (so a limit of N is N across all replicas), and applies only to endpoints that ask for it
/// with <c>RequireRateLimiting(name)</c>. A <c>partitionBy</c> that returns null leaves that request
/// unlimited by the policy (a GET of a page whose POSTs are limited). A policy declared without
/// <c>partitionBy</c> is checked by hand through <see cref="ShopRateLimiter"/>, for a second partition of
/// one request that an endpoint policy cannot express (sign-in per account as well as per client).
/// </summary>
public sealed class ShopRateLimitingBuilder
{
    private readonly IServiceCollection _services;

    internal ShopRateLimitingBuilder(IServiceCollection services) => _services = services;

    internal Dictionary<string, PolicyRegistration> Policies { get; } = new(StringComparer.Ordinal);

    internal Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>>? RejectionWriter { get; private set; }

    public ShopRateLimitingBuilder AddFixedWindow(
        string policy, Func<HttpContext, string?> partitionBy, FixedWindowPolicyOptions defaults) =>
        Add(policy, partitionBy, defaults);

    /// <summary>A policy checked only by hand, with <see cref="ShopRateLimiter.TryAcquireAsync"/>.</summary>
    public ShopRateLimitingBuilder AddFixedWindow(string policy, FixedWindowPolicyOptions defaults) =>
        Add(policy, partitionBy: null, defaults);

    public ShopRateLimitingBuilder AddSlidingWindow(
        string policy, Func<HttpContext, string?> partitionBy, SlidingWindowPolicyOptions defaults) =>
        Add(policy, partitionBy, defaults);

    /// <summary>A policy checked only by hand, with <see cref="ShopRateLimiter.TryAcquireAsync"/>.</summary>
    public ShopRateLimitingBuilder AddSlidingWindow(string policy, SlidingWindowPolicyOptions defaults) =>
        Add(policy, partitionBy: null, defaults);

    public ShopRateLimitingBuilder AddTokenBucket(
        string policy, Func<HttpContext, string?> partitionBy, TokenBucketPolicyOptions defaults) =>
        Add(policy, partitionBy, defaults);

    /// <summary>A policy checked only by hand, with <see cref="ShopRateLimiter.TryAcquireAsync"/>.</summary>
    public ShopRateLimitingBuilder AddTokenBucket(string policy, TokenBucketPolicyOptions defaults) =>
        Add(policy, partitionBy: null, defaults);

    /// <summary>
    /// Lets the service write its own rejection response (the storefront's friendly HTML page that keeps
    /// the form). Status code and <c>Retry-After</c>/<c>X-RateLimit-*</c> headers are already set when the
    /// writer runs; return false to fall back to the ProblemDetails body (e.g. for API or non-HTML requests).
    /// </summary>
    public ShopRateLimitingBuilder WriteRejectionsWith(
        Func<HttpContext, RateLimitRejection, CancellationToken, ValueTask<bool>> writer)
    {
        RejectionWriter = writer;
        return this;
    }

    private ShopRateLimitingBuilder Add<TOptions>(string policy, Func<HttpContext, string?>? partitionBy, TOptions defaults)
        where TOptions : RateLimitPolicyOptions, new()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(policy);
        if (!Policies.TryAdd(policy, new PolicyRegistration(policy, partitionBy,
                services => services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(policy))))
        {
            throw new InvalidOperationException($"Rate-limit policy '{policy}' is declared twice.");
        }

        _services.AddOptions<TOptions>(policy)
            .Configure(options => options.CopyFrom(defaults))
            .BindConfiguration($"{ShopRateLimitingOptions.SectionName}:Policies:{policy}")
            .Validate(options => options.Validate() is null,
                $"RateLimiting:Policies:{policy} has a limit or period that is zero, negative or shorter than one second.")
            .ValidateOnStart();
        return this;
    }
}

internal sealed record PolicyRegistration(
    string Name, Func<HttpContext, string?>? PartitionBy, Func<IServiceProvider, RateLimitPolicyOptions> Options);
