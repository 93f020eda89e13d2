using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How a service behind the gateway knows a request came through it: the gateway sets <see cref="HeaderName"/> to
/// the shared <c>Gateway:Key</c> (an AppHost secret held by the gateway and the storefront only), overwriting whatever
/// a client sent. On one machine every peer is a loopback address, so the peer's address proves nothing; the key
/// does. Only a request that carries it may have its <c>X-Forwarded-*</c> headers believed.
/// </summary>
public static class GatewayTrust
{
    public const string HeaderName = "X-Shop-Gateway";
    public const string ConfigurationKey = "Gateway:Key";

    public static string Key(IConfiguration configuration) =>
        configuration[ConfigurationKey] is { Length: >= 32 } key
            ? key
            : throw new InvalidOperationException($"{ConfigurationKey} (the secret the gateway vouches for its requests with) is missing or shorter than 32 characters.");

    public static bool CameThroughGateway(HttpRequest request, string key) =>
        request.Headers.TryGetValue(HeaderName, out var presented) && presented.Count == 1
        && SharedSecrets.FixedTimeEquals(presented.ToString(), key);
}
