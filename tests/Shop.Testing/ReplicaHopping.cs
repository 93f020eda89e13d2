namespace Shop.Testing;

/// <summary>HTTP clients that reach every replica behind a per-connection load balancer.</summary>
public static class ReplicaHopping
{
    public const string InstanceHeader = "X-Instance";

    /// <summary>
    /// A client of its own (a fresh <see cref="ClientAddresses"/> address, so the gateway counts it apart from every
    /// other) whose every request opens a new TCP connection: the Aspire proxy picks a replica per connection.
    /// </summary>
    public static HttpClient CreateClient(Uri baseAddress, bool allowRedirects, TimeSpan timeout, Func<HttpMessageHandler, HttpMessageHandler>? wrap = null)
    {
        var handler = ClientAddresses.Handler(ClientAddresses.Next());
        handler.PooledConnectionLifetime = TimeSpan.Zero;
        handler.AllowAutoRedirect = allowRedirects;
        handler.UseCookies = false;
        return new HttpClient(wrap?.Invoke(handler) ?? handler) { BaseAddress = baseAddress, Timeout = timeout };
    }

    public static string Instance(this HttpResponseMessage response) =>
        response.Headers.TryGetValues(InstanceHeader, out var values) ? values.Single() : "";
}
