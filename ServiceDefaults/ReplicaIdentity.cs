using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Which replica of which service this process is. Behind the AppHost's proxy a shopper cannot tell
/// replicas apart, so every response says who answered (<c>X-Instance</c>), which is how people and
/// tests see that state really is shared rather than pinned to one process.
/// </summary>
public sealed record ReplicaIdentity(string Service, string ReplicaId)
{
    public const string HeaderName = "X-Instance";

    public string HeaderValue { get; } = $"{Service}/{ReplicaId}";

    public static ReplicaIdentity FromEnvironment(string applicationName) =>
        From(Environment.GetEnvironmentVariable, applicationName, Environment.MachineName, Environment.ProcessId);

    /// <summary>
    /// Aspire names each replica (<c>service.instance.id</c> in <c>OTEL_RESOURCE_ATTRIBUTES</c>, the same id
    /// the dashboard shows); outside Aspire the machine name and process id are unique enough.
    /// </summary>
    public static ReplicaIdentity From(Func<string, string?> env, string applicationName, string machine, int processId)
    {
        var service = env("OTEL_SERVICE_NAME") is { Length: > 0 } name ? name : applicationName;
        var replica = ParseInstanceId(env("OTEL_RESOURCE_ATTRIBUTES")) ?? $"{machine}-{processId}";
        return new ReplicaIdentity(service, replica);
    }

    private static string? ParseInstanceId(string? attributes)
    {
        foreach (var pair in (attributes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts is ["service.instance.id", { Length: > 0 } id])
            {
                return id;
            }
        }
        return null;
    }
}

/// <summary>
/// Runs first in every pipeline so that every response, including 404s, 429s and error pages written by later
/// middleware, names the replica that produced it. The header is stamped as the response starts, not when the
/// request arrives: an output-cache hit copies the headers of the replica that stored the entry, and without
/// this a hit on replica B would claim to come from replica A.
/// </summary>
internal sealed class ReplicaHeaderStartupFilter(ReplicaIdentity identity) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            var response = context.Response;
            response.OnStarting(() =>
            {
                response.Headers[ReplicaIdentity.HeaderName] = identity.HeaderValue;
                return Task.CompletedTask;
            });
            return nextMiddleware(context);
        });
        next(app);
    };
}
