using Shop.Cart.Api.Catalog;

namespace Shop.Cart.Api;

/// <summary>
/// Joins what Redis holds (ids and quantities) with what the catalog says now (names, prices, images). Prices
/// are never stored in the cart, so a price change in the catalog shows up in every cart at once.
/// A product the catalog no longer knows is left out of the view.
/// </summary>
public sealed class CartViewBuilder(CatalogGateway catalog)
{
    public async Task<CartView> BuildAsync(CartId cartId, CartContents contents, CancellationToken cancellationToken)
    {
        var items = contents.IsEmpty
            ? new Dictionary<int, CatalogItem>()
            : await catalog.FindItemsAsync(contents.Entries.Select(e => e.ProductId), cancellationToken);
        var lines = new List<CartLine>(contents.Entries.Count);
        foreach (var entry in contents.Entries)
        {
            if (items.TryGetValue(entry.ProductId, out var item))
            {
                lines.Add(new CartLine(entry.ProductId, item.Name, item.Price, entry.Quantity, item.Price * entry.Quantity, item.ImageUrl));
            }
        }
        return new CartView(cartId.Value, lines, lines.Sum(l => l.Quantity), lines.Sum(l => l.LineTotal));
    }
}
