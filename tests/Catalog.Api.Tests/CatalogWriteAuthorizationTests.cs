using System.Net;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>
/// Two credentials for two kinds of write: operators' (a price, the flush) need the admin key, Cart.Api's stock
/// reservations need its Stock token. Neither opens the other's door, so the holder of one cannot do the other's work.
/// </summary>
public sealed class CatalogWriteAuthorizationTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    public static TheoryData<string, string, string> AdminWrites => new()
    {
        { "PUT", "/api/catalog/items/5", """{ "price": 12.50 }""" },
        { "POST", "/api/catalog/admin/cache/flush", "" },
    };

    public static TheoryData<string, string> StockWrites => new()
    {
        { "/api/catalog/items/5/stock/reserve", $$"""{ "quantity": 1, "reservationId": "{{CatalogHttp.NewReservationId()}}" }""" },
        { $"/api/catalog/reservations/{CatalogHttp.NewReservationId()}/release", "" },
    };

    [Theory]
    [MemberData(nameof(AdminWrites))]
    public async Task AnAdminWriteWithoutTheKeyIs401WithAWrongKey403AndWithTheKeySucceeds(string method, string url, string body)
    {
        using var missing = await fixture.Client.SendAsync(Request(method, url, body, key: null));
        using var wrong = await fixture.Client.SendAsync(Request(method, url, body, key: "not-the-key"));
        using var stockToken = await fixture.Client.SendAsync(Request(method, url, body, key: null, token: TestSecrets.StockToken()));
        using var right = await fixture.Client.SendAsync(Request(method, url, body, CatalogApiFactory.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, stockToken.StatusCode);
        Assert.True(right.IsSuccessStatusCode, $"{method} {url} → {(int)right.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(StockWrites))]
    public async Task AStockWriteNeedsCartApisStockTokenAndNotTheAdminKey(string url, string body)
    {
        using var missing = await fixture.Client.SendAsync(Request("POST", url, body, key: null));
        using var adminKey = await fixture.Client.SendAsync(Request("POST", url, body, CatalogApiFactory.AdminKey));
        using var forged = await fixture.Client.SendAsync(Request("POST", url, body, key: null, token: TestSecrets.ForgedCartToken("cart-api")));
        using var cartToken = await fixture.Client.SendAsync(Request("POST", url, body, key: null, token: TestSecrets.CartToken("u-alice")));
        using var wrongScope = await fixture.Client.SendAsync(Request("POST", url, body, key: null, token: TestSecrets.StockToken(scope: "read")));
        using var right = await fixture.Client.SendAsync(Request("POST", url, body, key: null, token: TestSecrets.StockToken()));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, adminKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, cartToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongScope.StatusCode);
        Assert.Equal("application/problem+json", wrongScope.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
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

    private static HttpRequestMessage Request(string method, string url, string body, string? key, string? token = null)
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
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }
        return request;
    }
}
