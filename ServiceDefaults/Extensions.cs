using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every Shop service shares: telemetry, health, service discovery, resilient HttpClients and the
/// replica identity header. Each service calls <see cref="AddServiceDefaults{TBuilder}"/> once.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <param name="nameTheReplicaInResponses">
    /// False for the gateway: it passes on the <c>X-Instance</c> of the storefront replica that answered, which is
    /// what a shopper and a test want to see, and a response without one was answered by the gateway itself.
    /// </param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, bool nameTheReplicaInResponses = true) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddSingleton(ReplicaIdentity.FromEnvironment(builder.Environment.ApplicationName));
        if (nameTheReplicaInResponses)
        {
            builder.Services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, ReplicaHeaderStartupFilter>();
        }
        builder.Services.AddServiceDiscovery();
        var configuration = builder.Configuration;
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            AddServiceCallsHandler(http, configuration);
            http.AddServiceDiscovery();
        });
        return builder;
    }

    /// <summary>
    /// The budgets of every call from one Shop service to another (timeouts, retries, circuit breaker). The
    /// library's defaults (30 s in all, three retries two seconds apart) made a shopper wait half a minute for the
    /// 503 page while the catalog was down; Shop's are short enough that the page answers within 3 s.
    /// </summary>
    public const string ServiceCallsSection = "ServiceCalls";

    /// <summary>
    /// The standard resilience handler with <see cref="ServiceCallsSection"/>'s budgets, for a client that replaces the
    /// default one; <paramref name="retryUnsafeMethods"/> false for a client whose writes are not idempotent (a
    /// retried "add one" or "reserve" whose first attempt did arrive would count twice).
    /// </summary>
    public static IHttpClientBuilder AddShopResilienceHandler(this IHttpClientBuilder http, IConfiguration configuration, bool retryUnsafeMethods)
    {
        var pipeline = AddServiceCallsHandler(http, configuration);
        if (!retryUnsafeMethods)
        {
            pipeline.Configure(options => options.Retry.DisableForUnsafeHttpMethods());
        }
        return http;
    }

    // (A service that calls no other, like Catalog.Api, has no budgets to configure: the library's defaults stand.)
    private static IHttpStandardResiliencePipelineBuilder AddServiceCallsHandler(IHttpClientBuilder http, IConfiguration configuration) =>
        configuration.GetSection(ServiceCallsSection) is { } section && section.Exists()
            ? http.AddStandardResilienceHandler(section)
            : http.AddStandardResilienceHandler();

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(ShopMeters.All))
            .WithTracing(tracing =>
            {
                tracing
                    .AddSource(builder.Environment.ApplicationName)
                    .AddAspNetCoreInstrumentation(options =>
                        // Health probes arrive every few seconds from every replica; they would drown the traces.
                        options.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                            && !context.Request.Path.StartsWithSegments(SpanTimes.Path))
                    .AddHttpClientInstrumentation();
                if (SpanTimes.IsOn(builder.Configuration))
                {
                    SpanTimes.AddTo(builder.Services, tracing);
                }
            });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (every check, Redis included) and <c>/alive</c> (process liveness only), and
    /// stamps every response with the answering replica. Health endpoints are mapped in every environment
    /// because the AppHost and the tests probe them; they reveal only status names.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthResponseWriter.WriteAsync })
            .DisableHttpMetrics();
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains("live") })
            .DisableHttpMetrics();
        SpanTimes.MapTo(app);
        return app;
    }
}
