using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Shop.Testing;
using Shop.Web.Frontend.Extensions;
using Shop.Web.Frontend.Images;

namespace Shop.Web.Frontend.Tests;

public sealed class EndpointConventionTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private sealed record PolicyMarker(string Name);

    [Fact]
    public async Task TheSignInHandleReachesOnlyTheSignInPageAndBrowseEverythingElse()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.Configuration["ConnectionStrings:cache"] = redis.ConnectionString;
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        await using var app = builder.Build();

        var storefront = app.MapStorefront();
        storefront.Browse.WithMetadata(new PolicyMarker("browse"));
        storefront.SignIn.WithMetadata(new PolicyMarker("signin"));

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        string? Policy(string route) => endpoints.Single(e => e.RoutePattern.RawText == route).Metadata.GetMetadata<PolicyMarker>()?.Name;

        Assert.Equal("signin", Policy("account/login"));
        Assert.Equal("browse", Policy("cart"));
        Assert.Equal("browse", Policy(""));
        Assert.Equal("browse", Policy(ProductImageEndpoint.Route));
        Assert.Null(Policy("error"));
        Assert.Single(endpoints, e => e.Metadata.GetMetadata<PolicyMarker>()?.Name == "signin");
    }
}
