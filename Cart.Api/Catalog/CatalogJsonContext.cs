using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Cart.Api.Catalog;

/// <summary>Source-generated (reflection-free) JSON for the Refit catalog client.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogItem))]
[JsonSerializable(typeof(StockChange))]
[JsonSerializable(typeof(StockReservation))]
internal sealed partial class CatalogJsonContext : JsonSerializerContext;
