using System.Net;

namespace Shop.Catalog.Api.Tests;

public sealed class CatalogWriteAuthorizationTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    public static TheoryData<string, string, string> Writes => new()
    {
        { "PUT", "/api/catalog/items/5", """{ "price": 12.50 }""" },
        { "POST", "/api/catalog/items/5/stock/reserve", """{ "quantity": 1 }""" },
        { "POST", "/api/catalog/items/5/stock/release", """{ "quantity": 1 }""" },
        { "POST", "/api/catalog/admin/cache/flush", "" },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task AWriteWithoutTheKeyIs401WithAWrongKey403AndWithTheKeySucceeds(string method, string url, string body)
    {
        using var missing = await fixture.Client.SendAsync(Request(method, url, body, null));
        using var wrong = await fixture.Client.SendAsync(Request(method, url, body, "not-the-key"));
        using var right = await fixture.Client.SendAsync(Request(method, url, body, CatalogApiFactory.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.True(right.IsSuccessStatusCode, $"{method} {url} → {(int)right.StatusCode}");
    }

    [Fact]
    public async Task AKeyThatDiffersOnlyInLengthOrCaseIsRefused()
    {
        using var longer = await fixture.Client.SendAsync(Request("PUT", "/api/catalog/items/6", """{ "stock": 1 }""", CatalogApiFactory.AdminKey + "x"));
        using var upper = await fixture.Client.SendAsync(Request("PUT", "/api/catalog/items/6", """{ "stock": 1 }""", CatalogApiFactory.AdminKey.ToUpperInvariant()));

        Assert.Equal(HttpStatusCode.Forbidden, longer.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, upper.StatusCode);
    }

    [Fact]
    public async Task WithNoKeyConfiguredEveryWriteIsRefusedNeverOpen()
    {
        await using var unconfigured = fixture.NewReplica("replica-unconfigured", adminKey: "");
        using var client = unconfigured.CreateClient();

        using var empty = await client.SendAsync(Request("PUT", "/api/catalog/items/7", """{ "stock": 1 }""", " "));
        using var any = await client.SendAsync(Request("PUT", "/api/catalog/items/7", """{ "stock": 1 }""", "anything"));
        using var missing = await client.SendAsync(Request("PUT", "/api/catalog/items/7", """{ "stock": 1 }""", null));

        Assert.Equal(HttpStatusCode.Forbidden, empty.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, any.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    private static HttpRequestMessage Request(string method, string url, string body, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body.Length > 0)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }
}
