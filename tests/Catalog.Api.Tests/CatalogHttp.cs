using System.Net.Http.Json;
using System.Text.Json;
using Shop.Catalog.Api.Api;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

internal static class CatalogHttp
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<CatalogPage> GetPageAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<CatalogPage>(Json))!;
    }

    public static Task<HttpResponseMessage> SendAdminAsync(this HttpClient client, HttpMethod method, string url, object? body, string? apiKey = CatalogApiFactory.AdminKey)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }
        return client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutItemAsync(this HttpClient client, int id, object body) =>
        client.SendAdminAsync(HttpMethod.Put, $"/api/catalog/items/{id}", body);

    /// <summary>A stock call as Cart.Api makes it: with its Stock token (or the given one), never the admin key.</summary>
    public static Task<HttpResponseMessage> SendStockAsync(this HttpClient client, string url, object? body, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new("Bearer", token ?? TestSecrets.StockToken());
        return client.SendAsync(request);
    }

    /// <summary>A reservation id as Cart.Api makes one (it is the order id the checkout will place).</summary>
    public static string NewReservationId() => Guid.NewGuid().ToString("N");

    /// <summary>Reserves under the given reservation id, or under a fresh one (a reservation of its own).</summary>
    public static Task<HttpResponseMessage> ReserveAsync(this HttpClient client, int id, int quantity, string? reservationId = null) =>
        client.SendStockAsync($"/api/catalog/items/{id}/stock/reserve", new { quantity, reservationId = reservationId ?? NewReservationId() });

    public static Task<HttpResponseMessage> ReleaseAsync(this HttpClient client, string reservationId) =>
        client.SendStockAsync($"/api/catalog/reservations/{reservationId}/release", null);

    public static Task<HttpResponseMessage> CommitAsync(this HttpClient client, string reservationId) =>
        client.SendStockAsync($"/api/catalog/reservations/{reservationId}/commit", null);

    public static async Task<(HttpResponseMessage Response, string Body)> GetWithBodyAsync(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The ValidationProblem's field names.</summary>
    public static async Task<string[]> ValidationFieldsAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return [.. document.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }
}
