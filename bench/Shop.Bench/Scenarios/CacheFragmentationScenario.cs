using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Bench.App;
using Shop.Testing;
using Shop.Bench.Report;

namespace Shop.Bench.Scenarios;

/// <summary>
/// Scenario 4: the two ways a per-replica cache goes wrong. Fragmentation: the same pages requested on every
/// replica cost one origin hit per page with the shared cache but one per page per replica with an
/// in-memory cache. Staleness: after a price change, the replica that took the write evicts its own entry,
/// but with an in-memory cache the others keep serving the old price until the entry expires (5 minutes).
/// Origin hits are counted from the responses: only a cache hit carries an <c>Age</c> header.
/// </summary>
public sealed class CacheFragmentationScenario(BenchContext bench)
{
    private const int DistinctPages = 10;
    private const int Rounds = 3;
    private const int ProductId = 7;
    private const int ReadsPerReplica = 5;

    private readonly List<(string Mode, Fragmentation Result)> _fragmentation = [];
    private readonly List<(string Mode, Staleness Result)> _staleness = [];

    /// <summary>Stale reads after a price change with the shared Redis cache (the first mode measured), or null.</summary>
    public int? StaleReadsShared => _staleness.Count > 0 ? _staleness[0].Result.Stale : null;

    /// <summary>How many reads after the price change that figure is out of.</summary>
    public int? ReadsAfterChangeShared => _staleness.Count > 0 ? _staleness[0].Result.Reads : null;

    public async Task MeasureAsync(ShopApp app, string mode, CancellationToken cancellationToken)
    {
        bench.Progress($"Scenario 4 - cache fragmentation and stale reads ({mode})");
        var replicas = app.ReplicaAddresses(ShopResources.Catalog);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Every page on every replica, round after round, one request at a time (no stampede effects).
        var requests = 0;
        var originHits = 0;
        for (var round = 0; round < Rounds; round++)
        {
            foreach (var replica in replicas)
            {
                for (var page = 1; page <= DistinctPages; page++)
                {
                    var url = new Uri(replica, $"/api/catalog/items?sort=price&pageSize=5&page={page + 1}");
                    requests++;
                    originHits += await CacheProbe.IsHitAsync(client, url, cancellationToken) ? 0 : 1;
                }
            }
        }
        var fragmentation = new Fragmentation(requests, replicas.Count, originHits);
        _fragmentation.Add((mode, fragmentation));
        bench.Progress($"  {requests} requests for {DistinctPages} pages over {replicas.Count} replicas: {originHits} origin hits");

        _staleness.Add((mode, await MeasureStalenessAsync(client, replicas, cancellationToken)));
    }

    private async Task<Staleness> MeasureStalenessAsync(HttpClient client, IReadOnlyList<Uri> replicas, CancellationToken cancellationToken)
    {
        var path = $"/api/catalog/items/{ProductId}";
        decimal oldPrice = 0;
        foreach (var replica in replicas)
        {
            for (var i = 0; i < 2; i++)
            {
                var item = await client.GetFromJsonAsync<JsonElement>(new Uri(replica, path), cancellationToken);
                oldPrice = item.GetProperty("price").GetDecimal();
            }
        }
        var newPrice = oldPrice + 1.11m;
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(replicas[0], path))
        {
            Content = JsonContent.Create(new { price = newPrice }),
        };
        put.Headers.Add("X-Api-Key", TestSecrets.AdminKey);
        using (var response = await client.SendAsync(put, cancellationToken))
        {
            response.EnsureSuccessStatusCode();
        }

        var stale = 0;
        var staleReplicas = 0;
        foreach (var replica in replicas)
        {
            var staleHere = 0;
            for (var i = 0; i < ReadsPerReplica; i++)
            {
                var item = await client.GetFromJsonAsync<JsonElement>(new Uri(replica, path), cancellationToken);
                staleHere += item.GetProperty("price").GetDecimal() == oldPrice ? 1 : 0;
            }
            stale += staleHere;
            staleReplicas += staleHere > 0 ? 1 : 0;
        }
        bench.Progress(string.Create(CultureInfo.InvariantCulture,
            $"  price of product {ProductId} changed {oldPrice} -> {newPrice} on one replica: {stale} of {replicas.Count * ReadsPerReplica} reads still old, on {staleReplicas} replica(s)"));
        return new Staleness(replicas.Count * ReadsPerReplica, stale, replicas.Count, staleReplicas);
    }

    public ScenarioReport Report()
    {
        var redis = _fragmentation.FirstOrDefault(f => f.Mode.StartsWith("Redis", StringComparison.Ordinal)).Result;
        var local = _fragmentation.FirstOrDefault(f => !f.Mode.StartsWith("Redis", StringComparison.Ordinal)).Result;
        var redisStale = _staleness.FirstOrDefault(f => f.Mode.StartsWith("Redis", StringComparison.Ordinal)).Result;
        var localStale = _staleness.FirstOrDefault(f => !f.Mode.StartsWith("Redis", StringComparison.Ordinal)).Result;
        return new ScenarioReport(4, "Cache fragmentation and stale reads",
            $"{DistinctPages} catalog pages read on every replica cost {redis?.OriginHits} origin hits with the shared cache and "
            + $"{local?.OriginHits} with a per-replica cache; after a price change, {redisStale?.Stale} vs {localStale?.Stale} of "
            + $"{localStale?.Reads ?? redisStale?.Reads} reads still showed the old price.",
            [
                new ReportTable($"{DistinctPages} distinct list pages × every catalog replica × {Rounds} rounds, one request at a time",
                    ["output cache", "requests", "replicas", "origin hits (no `Age`)", "hit ratio"],
                    [.. _fragmentation.Select(f => new[]
                    {
                        f.Mode, Format.Count(f.Result.Requests), Format.Count(f.Result.Replicas), Format.Count(f.Result.OriginHits),
                        Format.Percent(1 - (double)f.Result.OriginHits / f.Result.Requests),
                    })]),
                new ReportTable($"Price of product {ProductId} changed through one replica (which evicts what it can), then {ReadsPerReplica} reads on each replica",
                    ["output cache", "reads after the change", "stale reads (old price)", "replicas serving the old price"],
                    [.. _staleness.Select(s => new[]
                    {
                        s.Mode, Format.Count(s.Result.Reads), Format.Count(s.Result.Stale), $"{s.Result.StaleReplicas} of {s.Result.Replicas}",
                    })]),
            ],
            [
                "An in-memory cache misses once per page per replica, so the origin load grows with the replica count; with Redis the first replica's miss fills the cache for all.",
                "Tag eviction on a write reaches every replica only when the cache is shared; an in-memory cache can evict only in the process that took the write.",
            ],
            [],
            [
                new Comparison($"origin hits, {DistinctPages} pages", redis?.OriginHits ?? double.NaN, local?.OriginHits ?? double.NaN, ""),
                new Comparison("stale reads after a price change", redisStale?.Stale ?? double.NaN, localStale?.Stale ?? double.NaN, ""),
            ]);
    }

    private sealed record Fragmentation(int Requests, int Replicas, int OriginHits);

    private sealed record Staleness(int Reads, int Stale, int Replicas, int StaleReplicas);
}
