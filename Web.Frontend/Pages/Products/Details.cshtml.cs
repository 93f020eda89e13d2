using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Refit;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Pages.Products;

public sealed class DetailsModel(ICatalogApi catalog) : PageModel
{
    public CatalogItem Item { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken cancellationToken)
    {
        try
        {
            Item = await catalog.GetItemAsync(id, cancellationToken);
            return Page();
        }
        catch (ApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return NotFound();
        }
    }
}
