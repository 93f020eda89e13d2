using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed class AccessibilityTests(StorefrontFixture shop, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task TheKeyboardAloneSearchesAndPutsAProductInTheCart()
    {
        await using var context = await shop.NewShopperAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search products" });
        await TabUntilFocusedAsync(page, search, maxPresses: 5);
        Assert.True(await HasVisibleFocusAsync(page), "The focused search box should show a focus outline.");
        await page.Keyboard.TypeAsync("kettle");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/?q=kettle");
        await Expect(page.GetByTestId("product-card").First).ToBeVisibleAsync();

        var addButton = page.GetByRole(AriaRole.Button, new() { NameRegex = Storefront.AddToCartName() }).First;
        await TabUntilFocusedAsync(page, addButton, maxPresses: 60);
        Assert.True(await HasVisibleFocusAsync(page), "The focused button should show a focus outline.");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(Storefront.CartUrl());
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
        await Expect(page.CartCount()).ToHaveTextAsync("1");
    }

    [BrowserFact]
    public async Task EveryPageHasLandmarksAltTextLabelledControlsAndOnlyLocalAssets()
    {
        await using var context = await shop.NewShopperAsync();
        var requested = new List<string>();
        context.Request += (_, request) => requested.Add(request.Url);
        var page = await context.NewPageAsync();
        await page.AddToCartFromProductPageAsync(33);

        string[] urls = ["/", "/?q=lamp", "/?category=books", "/products/33", "/cart", "/account/login", "/products/999999"];
        foreach (var url in urls)
        {
            var response = await page.GotoAsync(url);
            Assert.NotNull(response);
            Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
            await Expect(page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
            await Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
            await Expect(page.GetByRole(AriaRole.Contentinfo)).ToHaveCountAsync(1);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
            Assert.Empty(await OuterHtmlOfAsync(page, "img:not([alt])"));
            Assert.Empty(await page.Locator("input:not([type=hidden]), select, textarea").EvaluateAllAsync<string[]>(
                "els => els.filter(e => e.labels.length === 0 && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')).map(e => e.outerHTML)"));
            Assert.Empty(await page.Locator("button, a[href]").EvaluateAllAsync<string[]>(
                "els => els.filter(e => !e.getAttribute('aria-label') && !e.textContent.trim() && e.getAttribute('aria-hidden') !== 'true').map(e => e.outerHTML)"));
            output.WriteLine($"{url}: {response.Status}, {await page.TitleAsync()}");
        }
        await Expect(page.GetByTestId("error-page")).ToHaveAttributeAsync("data-status", "404");
        await new Screenshots(output).TakeAsync(page, "not-found");

        var foreign = requested.Where(url => !url.StartsWith(shop.OriginOf(context), StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, "Every asset should come from the storefront itself: " + string.Join(", ", foreign));
    }

    private static async Task TabUntilFocusedAsync(IPage page, ILocator target, int maxPresses)
    {
        for (var i = 0; i < maxPresses; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
            await page.Keyboard.PressAsync("Tab");
        }
        await Expect(target).ToBeFocusedAsync();
    }

    private static Task<bool> HasVisibleFocusAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }");

    private static Task<string[]> OuterHtmlOfAsync(IPage page, string selector) =>
        page.Locator(selector).EvaluateAllAsync<string[]>("els => els.map(e => e.outerHTML)");
}
