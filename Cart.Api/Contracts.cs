namespace Shop.Cart.Api;

// The HTTP contract of Cart.Api (camelCase JSON). Request fields are nullable so a missing field is reported
// as a validation error naming it, instead of silently becoming 0.

public sealed record AddItemRequest(int? ProductId, int? Quantity);

public sealed record SetQuantityRequest(int? Quantity);

public sealed record MergeCartRequest(string? FromCartId);

public sealed record CartLine(int ProductId, string Name, decimal UnitPrice, int Quantity, decimal LineTotal, string ImageUrl);

/// <summary>How many items the cart holds: one Redis round trip, no catalog lookups.</summary>
public sealed record CartCount(string CartId, int ItemCount);

public sealed record CartView(string CartId, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total);

public sealed record Order(string OrderId, string CartId, IReadOnlyList<CartLine> Lines, decimal Total, DateTimeOffset CreatedAt);
