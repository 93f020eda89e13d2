using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Shop.Testing;
using Shop.Web.Frontend.Extensions;
using Shop.Web.Frontend.Images;

namespace Shop.Web.Frontend.Tests;

/// <summary>Which storefront endpoint carries which rate-limit policy, read from the endpoints the app really maps.</summary>
public sealed class EndpointConventionTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task SignInCarriesSignInClientTheErrorPageNothingAndEveryOtherPageAndImageBrowse()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            EnvironmentName = "Production",
        });
        builder.Configuration["ConnectionStrings:cache"] = redis.ConnectionString;
        builder.Configuration.AddInMemoryCollection(TestSecrets.ServiceSettings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)));
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        await using var app = builder.Build();
        app.MapRazorPages();
        app.MapProductImages().RequireBrowseLimit();

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        string? Policy(string route) =>
            endpoints.Single(e => e.RoutePattern.RawText == route).Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;

        Assert.Equal("sign-in-client", Policy("account/login"));
        Assert.Null(Policy("error"));
        foreach (var route in new[] { "", "cart", "checkout", "products/{id:int:min(1)}", "account/sessions", "account/logout", "orders/{id}", ProductImageEndpoint.Route })
        {
            Assert.Equal("browse", Policy(route));
        }
        Assert.Single(endpoints, e => e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == "sign-in-client");
        Assert.All(endpoints.Where(e => e.RoutePattern.RawText is not "account/login" and not "error"),
            e => Assert.Equal("browse", e.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName));
    }
}
