using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;
using Yarp.ReverseProxy.Transforms;

namespace Shop.Gateway;

/// <summary>
/// The storefront behind the gateway. YARP picks a replica per request (round robin), not per TCP connection as the
/// AppHost's proxy does, so one browser's keep-alive connection still spreads its clicks over every replica. The
/// replicas are separate AppHost resources with addresses of their own (<c>ReverseProxy:Clusters:storefront:
/// Destinations</c>, resolved by service discovery): behind a single replicated resource service discovery would
/// hand out one address, the AppHost's proxy's (aspire#9486), and the gateway could not choose.
/// </summary>
public static class StorefrontProxy
{
    public static IHostApplicationBuilder AddStorefrontProxy(this IHostApplicationBuilder builder)
    {
        var gatewayKey = GatewayTrust.Key(builder.Configuration);
        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddServiceDiscoveryDestinationResolver()
            .AddTransforms(transforms =>
            {
                // The client's own address, scheme and host, REPLACING whatever the client sent: only the gateway
                // may say who the client is.
                transforms.AddXForwarded(ForwardedTransformActions.Set);
                // What makes the storefront believe those headers (GatewayTrust); a client's copy is overwritten.
                transforms.AddRequestHeader(GatewayTrust.HeaderName, gatewayKey, append: false);
            });
        return builder;
    }

    public static IEndpointConventionBuilder MapStorefrontProxy(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapReverseProxy(proxy =>
        {
            proxy.Use(RetryRefusedConnectionAsync);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });

    /// <summary>
    /// A replica that has just died refuses the connection before the request is sent, and the active health check
    /// notices only on its next probe. Such a request is safe to send to the next replica (nothing reached the first),
    /// as nginx's <c>proxy_next_upstream</c> does; a shopper then never sees a 502 for a replica that is gone.
    /// </summary>
    private static async Task RetryRefusedConnectionAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations;
        var refused = new List<DestinationState>();
        while (true)
        {
            await next();
            if (context.Response.HasStarted
                || context.Features.Get<IForwarderErrorFeature>() is not { Error: ForwarderError.Request, Exception: var error }
                || !IsConnectionRefused(error)
                || proxy.ProxiedDestination is not { } failed)
            {
                return;
            }
            refused.Add(failed);
            var remaining = candidates.Where(d => !refused.Contains(d)).ToList();
            if (remaining.Count == 0)
            {
                return;
            }
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.AvailableDestinations = remaining;
        }
    }

    private static bool IsConnectionRefused(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }
        return false;
    }
}
