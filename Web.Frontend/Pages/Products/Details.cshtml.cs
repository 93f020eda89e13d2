using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Shop.Web.Frontend.Caching;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Pages.Products;

/// <summary>
/// One product. Cached for anonymous visitors like the browse pages (<see cref="AnonymousCatalogCachePolicy"/>),
/// tagged with the product, so a price or stock change evicts it on every replica before the write returns.
/// </summary>
[OutputCache(PolicyName = AnonymousCatalogCachePolicy.Name)]
public sealed class DetailsModel(CatalogReads catalog) : PageModel
{
    public CatalogItem Item { get; private set; } = null!;

    public string CategoryName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Item = await catalog.GetItemAsync(id, cancellationToken);
            HttpContext.TagCachedResponse(ShopOutputCache.ProductTag(id));
            var categories = await catalog.GetCategoriesAsync(cancellationToken);
            CategoryName = categories.FirstOrDefault(c => c.Slug == Item.Category)?.Name ?? Item.Category;
            return Page();
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return NotFound();
        }
    }
}
