using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Pages.Products;

public sealed class DetailsModel(ICatalogApi catalog) : PageModel
{
    public CatalogItem Item { get; private set; } = null!;

    public string CategoryName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Item = await catalog.GetItemAsync(id, cancellationToken);
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
