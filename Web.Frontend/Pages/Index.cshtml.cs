using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OutputCaching;
using Shop.Web.Frontend.Caching;
using Shop.Web.Frontend.Clients;

namespace Shop.Web.Frontend.Pages;

/// <summary>
/// Home and browse: category, search, sort and paging over Catalog.Api. For an anonymous visitor without cookies
/// the page comes from the shared output cache (<see cref="AnonymousCatalogCachePolicy"/>), tagged with every
/// product it shows, so a change to any of them evicts it on every replica.
/// </summary>
[OutputCache(PolicyName = AnonymousCatalogCachePolicy.Name)]
public sealed partial class IndexModel(CatalogReads catalog) : PageModel
{
    public const int PageSize = 12;
    public static readonly IReadOnlyList<(string Value, string Label)> Sorts =
        [("name", "Name"), ("price", "Price: low to high"), ("-price", "Price: high to low")];

    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Sort { get; set; }
    // From the query string only: Razor Pages also has a route value named "page" (the page's path, "/Index"), which
    // a [BindProperty(Name = "page")] reads first, so ?page=2 was ignored (and every view threw a FormatException).
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;

    public CatalogPage Results { get; private set; } = new([], 1, PageSize, 0);

    /// <summary>The category's display name ("Toys & Games" for <c>toys</c>), or null when not browsing one.</summary>
    public string? CategoryName { get; private set; }

    /// <summary>The plain first page of the shop, which greets the shopper before the grid.</summary>
    public bool IsLanding => Category is null && Q is null && PageNumber == 1;

    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        // Normalize instead of failing: a hand-edited URL gets the nearest sensible page, never an error.
        Category = Category is { } c && SlugPattern().IsMatch(c) ? c : null;
        Q = string.IsNullOrWhiteSpace(Q) ? null : Q.Trim() is { Length: > 200 } long_ ? long_[..200] : Q.Trim();
        Sort = Sorts.Any(s => s.Value == Sort) ? Sort : "name";
        PageNumber = Math.Clamp(PageNumber, 1, 10_000);
        Results = await catalog.GetItemsAsync(Category, Q, Sort, PageNumber, PageSize, cancellationToken);
        HttpContext.TagCachedResponse(Results.Items.Select(item => item.Id));
        if (Category is not null)
        {
            var categories = await catalog.GetCategoriesAsync(cancellationToken);
            CategoryName = categories.FirstOrDefault(c => c.Slug == Category)?.Name ?? Category;
        }
    }

    public string PageUrl(int page)
    {
        var query = new Dictionary<string, string?> { ["category"] = Category, ["q"] = Q, ["sort"] = Sort == "name" ? null : Sort };
        if (page > 1)
        {
            query["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/", query.Where(p => p.Value is not null));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex SlugPattern();
}
