namespace Shop.Bench.Scenarios;

/// <summary>
/// Tells cache hits from origin responses without any instrumentation: the output-cache middleware adds an
/// <c>Age</c> header to every response it serves from the cache, and never to one the endpoint produced.
/// </summary>
internal static class CacheProbe
{
    public static async Task<(int Requests, int WithAge)> CountAgeHeadersAsync(
        IReadOnlyList<Uri> replicas, string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        // The first request may be the miss that fills the cache; it is not counted.
        (await client.GetAsync(new Uri(replicas[0], path), cancellationToken)).Dispose();
        var withAge = 0;
        var requests = replicas.Count * 3;
        for (var i = 0; i < requests; i++)
        {
            using var response = await client.GetAsync(new Uri(replicas[i % replicas.Count], path), cancellationToken);
            response.EnsureSuccessStatusCode();
            withAge += response.Headers.Age is null ? 0 : 1;
        }
        return (requests, withAge);
    }

    public static async Task<bool> IsHitAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(url, cancellationToken);
        response.EnsureSuccessStatusCode();
        return response.Headers.Age is not null;
    }
}
