using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed class ResponsiveLayoutTests(StorefrontFixture shop, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task OnAPhoneEveryPageFitsTheScreenAndKeepsSearchAndCartInReach()
    {
        await using var context = await shop.NewShopperAsync(width: 390, height: 844);
        var page = await context.NewPageAsync();
        await page.AddToCartFromProductPageAsync(57);
        var screenshots = new Screenshots(output);

        foreach (var (url, name) in new[] { ("/", "home-phone"), ("/products/57", "product-phone"), ("/cart", "cart-phone"), ("/account/login", null) })
        {
            await page.GotoAsync(url);
            await Expect(page.GetByRole(AriaRole.Searchbox, new() { Name = "Search products" })).ToBeInViewportAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Cart" }).First).ToBeInViewportAsync();
            if (name is not null)
            {
                await screenshots.TakeAsync(page, name);
            }
            var wide = await page.EvaluateAsync<string[]>("""
                () => {
                    const scrollsInside = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
                        if (getComputedStyle(p).overflowX !== 'visible') return true; return false; };
                    return [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && !scrollsInside(e))
                        .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right));
                }
                """);
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
            Assert.True(overflow <= 0 && wide.Length == 0,
                $"{url} scrolls sideways by {overflow}px on a phone; too wide: {string.Join(", ", wide.Take(5))}");
        }
    }

    [BrowserFact]
    public async Task OnAWideScreenTheProductGridShowsSeveralColumns()
    {
        await using var context = await shop.NewShopperAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?category=garden");
        var tops = await page.GetByTestId("product-card").EvaluateAllAsync<double[]>(
            "cards => cards.map(c => c.getBoundingClientRect().top)");
        Assert.True(tops.Count(top => Math.Abs(top - tops[0]) < 1) >= 4, "The first row should hold at least four products at 1280px.");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Garden");
    }
}
