using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Shop.Web.Frontend.Extensions;

/// <summary>
/// Handles for attaching cross-cutting endpoint policies (rate limiting) to groups of storefront endpoints:
/// <code>
/// var storefront = app.MapStorefront();
/// storefront.Browse.RequireRateLimiting("browse");          // every page and image except sign-in and /error
/// storefront.SignIn.RequireRateLimiting("sign-in-client");  // /account/login (GET and POST; the policy skips GETs)
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

    internal static bool IsSignInPage(EndpointBuilder builder) => IsPage(builder, "/Account/Login");

    /// <summary>
    /// The error page is re-executed by the status-code pages for a rejected request: limiting it would
    /// reject the rejection page itself and leave the shopper an empty 429.
    /// </summary>
    internal static bool IsErrorPage(EndpointBuilder builder) => IsPage(builder, "/Error");

    private static bool IsPage(EndpointBuilder builder, string viewEnginePath) =>
        builder.Metadata.OfType<CompiledPageActionDescriptor>().Any(p => p.ViewEnginePath == viewEnginePath)
        || builder.Metadata.OfType<PageActionDescriptor>().Any(p => p.ViewEnginePath == viewEnginePath);
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
