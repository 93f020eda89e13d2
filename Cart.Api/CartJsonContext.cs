using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Cart.Api;

/// <summary>Source-generated JSON for the HTTP contract and for orders stored in Redis.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(AddItemRequest))]
[JsonSerializable(typeof(SetQuantityRequest))]
[JsonSerializable(typeof(MergeCartRequest))]
[JsonSerializable(typeof(CartView))]
[JsonSerializable(typeof(CartCount))]
[JsonSerializable(typeof(Order))]
internal sealed partial class CartJsonContext : JsonSerializerContext;
