using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Where a rendered page's time goes, measured from the process's own traces: the total time of its requests (server
/// spans) and, within them, of its Redis commands and its HTTP calls to other services (client spans). A dashboard
/// trace showed a 0.44 s home page with only 0.04 s inside its spans; this puts that split into the bench, over every
/// request of a run instead of one trace. Off unless <c>Diagnostics:SpanTimes</c> is true (the bench turns it on);
/// then <c>GET /diagnostics/span-times</c> gives the totals since start, and the bench subtracts two readings.
/// Client spans outside any request (health checks, the reservation sweep) are not counted. Redis spans
/// are made from the client's profiler after the command, some seconds later: a reader waits for them.
/// </summary>
public sealed class SpanTimes : BaseProcessor<Activity>
{
    public const string Path = "/diagnostics/span-times";
    private const string Switch = "Diagnostics:SpanTimes";

    private long _requests;
    private long _requestTicks;
    private long _redisCommands;
    private long _redisTicks;
    private long _httpCalls;
    private long _httpTicks;

    public override void OnEnd(Activity activity)
    {
        var ticks = activity.Duration.Ticks;
        if (activity.Kind == ActivityKind.Server)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _requestTicks, ticks);
        }
        else if (activity.Kind == ActivityKind.Client && activity.ParentSpanId != default)
        {
            if (activity.Source.Name.Contains("Redis", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _redisCommands);
                Interlocked.Add(ref _redisTicks, ticks);
            }
            else
            {
                Interlocked.Increment(ref _httpCalls);
                Interlocked.Add(ref _httpTicks, ticks);
            }
        }
    }

    public SpanTimesReading Read() => new(
        Interlocked.Read(ref _requests), Milliseconds(ref _requestTicks),
        Interlocked.Read(ref _redisCommands), Milliseconds(ref _redisTicks),
        Interlocked.Read(ref _httpCalls), Milliseconds(ref _httpTicks));

    private static double Milliseconds(ref long ticks) => TimeSpan.FromTicks(Interlocked.Read(ref ticks)).TotalMilliseconds;

    internal static bool IsOn(IConfiguration configuration) => configuration.GetValue<bool>(Switch);

    internal static void AddTo(IServiceCollection services, TracerProviderBuilder tracing)
    {
        services.AddSingleton<SpanTimes>();
        tracing.AddProcessor(provider => provider.GetRequiredService<SpanTimes>());
    }

    internal static void MapTo(WebApplication app)
    {
        if (IsOn(app.Configuration))
        {
            app.MapGet(Path, (SpanTimes times) => TypedResults.Json(times.Read(), SpanTimesJsonContext.Default.SpanTimesReading))
                .DisableHttpMetrics();
        }
    }
}

/// <summary>Totals since the process started: requests and their time, Redis commands and HTTP calls made within them and theirs.</summary>
public sealed record SpanTimesReading(
    long Requests, double RequestMilliseconds, long RedisCommands, double RedisMilliseconds, long HttpCalls, double HttpMilliseconds);

[JsonSerializable(typeof(SpanTimesReading))]
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
internal sealed partial class SpanTimesJsonContext : JsonSerializerContext;
