using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Shop.Web.Frontend.Security;

namespace Shop.Web.Frontend.Extensions;

public static class DataProtectionExtensions
{
    public const string ApplicationName = "Shop";

    /// <summary>
    /// One key ring for every replica (<c>shop:dp-keys</c>) and one application name, so a cookie or
    /// antiforgery token protected by one replica is read by all. The repository is the equivalent of
    /// <c>PersistKeysToStackExchangeRedis(mux, "shop:dp-keys")</c>, configured from DI because the one
    /// multiplexer only exists once the container is built.
    /// </summary>
    public static IHostApplicationBuilder AddSharedDataProtection(this IHostApplicationBuilder builder)
    {
        if (builder.IsBaselineOn(BaselineExtensions.InProcessSession,
                "the Data Protection key ring is in this replica's memory, so other replicas reject its cookies and antiforgery tokens."))
        {
            // DEMONSTRATION baseline (bench/Shop.Bench): a key ring per process, gone at restart.
            builder.Services.AddDataProtection().SetApplicationName(ApplicationName).UseEphemeralDataProtectionProvider();
            return builder;
        }
        builder.Services.AddDataProtection().SetApplicationName(ApplicationName);
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((options, services) =>
        {
            var redis = services.GetShopRedis();
            options.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), FrontendRedisKeys.DataProtectionKeys);
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<KeyRingBootstrapper>();
        return builder;
    }
}
