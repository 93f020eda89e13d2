namespace Shop.Web.Frontend.Clients;

public sealed record CartLine(int ProductId, string Name, decimal UnitPrice, int Quantity, decimal LineTotal, string ImageUrl);

public sealed record Cart(string CartId, IReadOnlyList<CartLine> Lines, int ItemCount, decimal Total);

public sealed record Order(string OrderId, string CartId, IReadOnlyList<CartLine> Lines, decimal Total, DateTimeOffset CreatedAt);

public sealed record AddCartItem(int ProductId, int Quantity);

public sealed record SetCartQuantity(int Quantity);

public sealed record MergeCarts(string FromCartId);

/// <summary>The part of an RFC 7807 body the storefront shows to a shopper (e.g. "not enough stock").</summary>
public sealed record ProblemBody(string? Title, string? Detail, int? Status);
