using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Web.Frontend.Clients;

/// <summary>Source-generated (reflection-free) JSON for every contract the storefront exchanges.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CatalogPage))]
[JsonSerializable(typeof(CatalogItem))]
[JsonSerializable(typeof(IReadOnlyList<CatalogCategory>))]
[JsonSerializable(typeof(Cart))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(AddCartItem))]
[JsonSerializable(typeof(SetCartQuantity))]
[JsonSerializable(typeof(MergeCarts))]
[JsonSerializable(typeof(ProblemBody))]
[JsonSerializable(typeof(Authentication.DeviceInfo))]
internal sealed partial class StorefrontJsonContext : JsonSerializerContext;
