using System.Text;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace Shop.Web.Frontend.Caching;

/// <summary>
/// <c>&lt;shared-fragment key="…" tags="…"&gt;</c>: a part of a page that is the same for every shopper (the product
/// grid), rendered once by any replica and then served as HTML from the shared Redis output-cache store, on a page that
/// is otherwise rendered per shopper (their badge, their name). It carries the catalog's tags, so a catalog write
/// evicts it on every replica before the write returns, as it evicts the whole cached pages. The built-in
/// <c>&lt;distributed-cache&gt;</c> tag helper cannot do this: <c>IDistributedCache</c> has no tags, so a changed price
/// would stay until the entry expired. Redis trouble is a miss: the fragment is rendered, as without this cache.
/// Only for markup with nothing personal in it, since every shopper is served the same bytes.
/// </summary>
[HtmlTargetElement("shared-fragment")]
public sealed class SharedFragmentTagHelper(IOutputCacheStore store, IOptions<OutputCacheOptions> options) : TagHelper
{
    // Apart from the pages' keys ("storefront…") and the data's ("storefront-data:…"), under the shared prefix.
    private const string KeyPrefix = "storefront-fragment:";

    /// <summary>What the fragment shows, in full (the same key must always render the same markup).</summary>
    public string Key { get; set; } = "";

    /// <summary>The catalog tags of what it shows (<see cref="CatalogReads.TagsOf"/>).</summary>
    public IReadOnlyList<string> Tags { get; set; } = [];

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public override async Task ProcessAsync(TagHelperContext context, TagHelperOutput output)
    {
        output.TagName = null;
        var key = KeyPrefix + Key;
        var cancellationToken = ViewContext.HttpContext.RequestAborted;
        if (await store.GetAsync(key, cancellationToken) is { } cached)
        {
            output.Content.SetHtmlContent(Encoding.UTF8.GetString(cached));
            return;
        }
        var rendered = (await output.GetChildContentAsync()).GetContent();
        await store.SetAsync(key, Encoding.UTF8.GetBytes(rendered), [.. Tags], options.Value.DefaultExpirationTimeSpan, cancellationToken);
        output.Content.SetHtmlContent(rendered);
    }
}
