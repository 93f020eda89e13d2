using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs first in every pipeline so that every response, including 404s, 429s and error pages written by
/// later middleware, names the replica that produced it. The header is stamped as the response starts,
/// not when the request arrives: an output-cache hit copies the headers of the replica that stored the
/// entry, and without this a hit on replica B would claim to come from replica A.
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
