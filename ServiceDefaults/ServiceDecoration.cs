using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Wraps the last registration of a service in a decorator and drops every other registration of it: how Shop puts
/// its Redis-outage handling around a library's Redis store (the output cache's, the session's) without copying the
/// library's own set-up.
/// </summary>
public static class ServiceDecoration
{
    public static IServiceCollection DecorateLast<TService>(
        this IServiceCollection services, Func<IServiceProvider, TService, TService> decorate) where TService : class
    {
        var inner = services.Last(d => d.ServiceType == typeof(TService));
        services.RemoveAll<TService>();
        return services.AddSingleton(sp => decorate(sp, (TService)(inner.ImplementationInstance
            ?? inner.ImplementationFactory?.Invoke(sp)
            ?? ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!))));
    }
}
