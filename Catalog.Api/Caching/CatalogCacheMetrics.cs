using System.Diagnostics.Metrics;

namespace Shop.Catalog.Api.Caching;

/// <summary>
/// Output-cache hits and misses as the dashboard shows them (meter <c>Shop.Catalog</c>), counted at the
/// store, so a hit served by any replica from an entry another replica made is visible as a hit.
/// </summary>
public sealed class CatalogCacheMetrics
{
    public const string LookupsInstrument = "shop.catalog.output_cache.lookups";
    public const string FailuresInstrument = "shop.catalog.output_cache.failures";

    private readonly Counter<long> _lookups;
    private readonly Counter<long> _failures;

    public CatalogCacheMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(ShopMeters.Catalog);
        _lookups = meter.CreateCounter<long>(LookupsInstrument, unit: "{lookup}",
            description: "Catalog output-cache lookups in Redis, by result (hit or miss).");
        _failures = meter.CreateCounter<long>(FailuresInstrument, unit: "{failure}",
            description: "Output-cache operations skipped because Redis failed, by operation (get, set, evict).");
    }

    public void Hit() => _lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));

    public void Miss() => _lookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));

    public void Failure(string operation) => _failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
}
