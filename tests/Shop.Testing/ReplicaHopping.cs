namespace Shop.Testing;

/// <summary>HTTP clients that reach every replica behind a per-connection load balancer.</summary>
public static class ReplicaHopping
{
    public const string InstanceHeader = "X-Instance";

    public static HttpClient CreateClient(Uri baseAddress, bool allowRedirects, TimeSpan timeout) =>
        new(new SocketsHttpHandler
        {
            // A new TCP connection per request: the Aspire proxy picks a replica per connection.
            PooledConnectionLifetime = TimeSpan.Zero,
            AllowAutoRedirect = allowRedirects,
            UseCookies = false,
        })
        {
            BaseAddress = baseAddress,
            Timeout = timeout,
        };

    public static string Instance(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(InstanceHeader, out var values) ? values.Single() : "";
}
