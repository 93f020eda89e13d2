using Microsoft.AspNetCore.Mvc;
using Shop.Web.Frontend.Caching;
using Shop.Web.Frontend.Clients;
using Shop.Web.Frontend.Errors;

namespace Shop.Web.Frontend.Pages.Shared.Components.CategoryNav;

/// <summary>The category bar under the header; hidden (not an error) when the catalog cannot be reached.</summary>
public sealed class CategoryNavViewComponent(CatalogReads catalog, ILogger<CategoryNavViewComponent> logger) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync()
    {
        // The error page of a failed dependency (often the catalog itself) must not wait on it again: with the
        // catalog down, each read waits out the client's timeouts and retries.
        if (HttpContext.Response.StatusCode >= StatusCodes.Status500InternalServerError)
        {
            return View(new CategoryNavModel([], ""));
        }
        try
        {
            var categories = await catalog.GetCategoriesAsync(HttpContext.RequestAborted);
            return View(new CategoryNavModel(categories, HttpContext.Request.Query["category"].ToString()));
        }
        catch (Exception ex) when (StorefrontFailures.IsUnavailable(ex) || ex is Refit.ApiException)
        {
            logger.LogWarning(ex, "Category list unavailable.");
            return View(new CategoryNavModel([], ""));
        }
    }
}

public sealed record CategoryNavModel(IReadOnlyList<CatalogCategory> Categories, string Current);
