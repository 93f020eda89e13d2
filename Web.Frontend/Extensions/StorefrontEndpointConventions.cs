using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Shop.Web.Frontend.Extensions;

/// <summary>
/// Handles for attaching cross-cutting endpoint policies (rate limiting) to groups of storefront endpoints:
/// <code>
/// var storefront = app.MapStorefront();
/// storefront.Browse.RequireRateLimiting("browse");   // every page and image except sign-in
/// storefront.SignIn.RequireRateLimiting("signin");   // /account/login (GET and POST; a policy may skip GETs)
/// </code>
/// </summary>
public sealed record StorefrontEndpointConventions(IEndpointConventionBuilder Browse, IEndpointConventionBuilder SignIn);

/// <summary>A convention builder that applies conventions only to the endpoints a predicate picks.</summary>
internal sealed class FilteredConventionBuilder(IEndpointConventionBuilder inner, Func<EndpointBuilder, bool> predicate)
    : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention) => inner.Add(b =>
    {
        if (predicate(b))
        {
            convention(b);
        }
    });

    public void Finally(Action<EndpointBuilder> finallyConvention) => inner.Finally(b =>
    {
        if (predicate(b))
        {
            finallyConvention(b);
        }
    });

    internal static bool IsSignInPage(EndpointBuilder builder) =>
        builder.Metadata.OfType<CompiledPageActionDescriptor>().Any(p => p.ViewEnginePath == "/Account/Login")
        || builder.Metadata.OfType<PageActionDescriptor>().Any(p => p.ViewEnginePath == "/Account/Login");
}

/// <summary>Combines two convention builders into one.</summary>
internal sealed class CompositeConventionBuilder(params IEndpointConventionBuilder[] builders) : IEndpointConventionBuilder
{
    public void Add(Action<EndpointBuilder> convention)
    {
        foreach (var builder in builders)
        {
            builder.Add(convention);
        }
    }

    public void Finally(Action<EndpointBuilder> finallyConvention)
    {
        foreach (var builder in builders)
        {
            builder.Finally(finallyConvention);
        }
    }
}
