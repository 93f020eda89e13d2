using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace Shop.Cart.Api.Tests;

internal static class HttpAssertions
{
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, string json) =>
        client.PostAsync(url, Json(json));

    /// <summary>Sends with the given bearer token (a Cart token for an order or a merge, or a wrong one) instead of the storefront client's own.</summary>
    public static Task<HttpResponseMessage> SendWithTokenAsync(this HttpClient client, HttpMethod method, string url, string token, string? json = null)
    {
        var request = new HttpRequestMessage(method, url)
        {
            Content = json is null ? null : Json(json),
            Headers = { Authorization = new("Bearer", token) },
        };
        return client.SendAsync(request);
    }

    public static async Task<CartView> ReadCartAsync(this HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<CartView>())!;
    }

    /// <summary>Asserts an RFC 7807 answer with the given status and returns its JSON.</summary>
    public static async Task<JsonElement> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {status}, got {response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, json.GetProperty("status").GetInt32());
        Assert.DoesNotContain("   at ", body); // never a stack trace
        return json;
    }

    public static async Task<Dictionary<int, int>> StoredLinesAsync(this IDatabase db, string cartId) =>
        (await db.HashGetAllAsync("shop:cart:{" + cartId + "}")).ToDictionary(e => (int)e.Name, e => (int)e.Value);
}
