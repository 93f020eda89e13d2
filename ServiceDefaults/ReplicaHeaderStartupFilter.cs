using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Runs first in every pipeline so that every response, including 404s, 429s and error pages written by
/// later middleware, names the replica that produced it.
/// </summary>
internal sealed class ReplicaHeaderStartupFilter(ReplicaIdentity identity) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Response.Headers[ReplicaIdentity.HeaderName] = identity.HeaderValue;
            return nextMiddleware(context);
        });
        next(app);
    };
}
