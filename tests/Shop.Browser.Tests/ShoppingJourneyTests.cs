using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed partial class ShoppingJourneyTests(StorefrontFixture shop, ITestOutputHelper output)
{
    /// <summary>
    /// The whole journey with JavaScript off: the storefront is plain HTML forms, so this is also the proof
    /// that it works without script.
    /// </summary>
    [BrowserFact]
    public async Task AShopperBrowsesSearchesFillsACartAnonymouslySignsInChangesAQuantityAndChecksOut()
    {
        await shop.EmptyCartAsync("alice");
        await using var context = await shop.NewShopperAsync(javaScriptEnabled: false);
        var address = shop.AddressOf(context);
        var page = await context.NewPageAsync();
        var screenshots = new Screenshots(output);

        // Browse: a grid of products with prices and stock, nothing in the cart yet.
        await page.GotoAsync("/");
        var cards = page.GetByTestId("product-card");
        await Expect(cards).ToHaveCountAsync(12);
        await Expect(cards.First.GetByTestId("price")).ToHaveTextAsync(Storefront.Price());
        await Expect(cards.First.GetByTestId("stock")).Not.ToBeEmptyAsync();
        await Expect(page.CartCount()).ToHaveTextAsync("0");
        await screenshots.TakeAsync(page, "home");

        // The first product straight from the grid.
        var firstCard = cards.Filter(new() { Has = page.GetByTestId("stock").GetByText("In stock", new() { Exact = true }) }).First;
        var firstId = await Storefront.ProductIdOfAsync(firstCard);
        await firstCard.GetByRole(AriaRole.Button, new() { NameRegex = Storefront.AddToCartName() }).ClickAsync();
        await page.WaitForURLAsync(Storefront.CartUrl());
        await Expect(page.CartLine(firstId)).ToBeVisibleAsync();
        await Expect(page.CartCount()).ToHaveTextAsync("1");

        // Search from the header.
        await page.GetByRole(AriaRole.Searchbox, new() { Name = "Search products" }).FillAsync("Skillet");
        await page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.WaitForURLAsync(SearchUrl());
        await screenshots.TakeAsync(page, "search");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Skillet");
        var results = page.GetByTestId("product-card");
        await Expect(results.First).ToBeVisibleAsync();
        foreach (var name in await results.Locator(".product-name").AllInnerTextsAsync())
        {
            Assert.Contains("Skillet", name, StringComparison.OrdinalIgnoreCase);
        }

        // Open a second, different product and add it from its page.
        var secondCard = results.Filter(new() { Has = page.GetByTestId("stock").GetByText("In stock", new() { Exact = true }) })
            .And(page.Locator($"[data-testid=product-card]:not([data-product-id='{firstId}'])")).First;
        var secondId = await Storefront.ProductIdOfAsync(secondCard);
        var secondName = (await secondCard.Locator(".product-name").InnerTextAsync()).Trim();
        await secondCard.GetByRole(AriaRole.Link, new() { Name = secondName }).ClickAsync();
        await page.WaitForURLAsync($"**/products/{secondId}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(secondName);
        await Expect(page.GetByTestId("price")).ToHaveTextAsync(Storefront.Price());
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = secondName })).ToBeVisibleAsync();
        await screenshots.TakeAsync(page, "product");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = Storefront.AddToCartName() }).ClickAsync();
        await page.WaitForURLAsync(Storefront.CartUrl());
        await Expect(page.CartCount()).ToHaveTextAsync("2");
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(2);

        // Sign in from the header: back on the cart, which now is alice's, with both lines merged in.
        await page.SignInLink().ClickAsync();
        await page.WaitForURLAsync("**/account/login?**");
        await screenshots.TakeAsync(page, "sign-in");
        await page.SubmitSignInFormAsync("alice");
        await page.WaitForURLAsync(Storefront.CartUrl());
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync("Alice Liddell");
        await Expect(page.CartLine(firstId)).ToBeVisibleAsync();
        await Expect(page.CartLine(secondId)).ToBeVisibleAsync();
        await Expect(page.CartCount()).ToHaveTextAsync("2");

        // Change a quantity on the cart page.
        var line = page.CartLine(firstId);
        var unitPrice = Storefront.ParsePrice(await line.Locator("[data-label=Price] .price").InnerTextAsync());
        await line.GetByTestId("line-quantity").FillAsync("3");
        await line.GetByRole(AriaRole.Button, new() { Name = "Update" }).ClickAsync();
        await Expect(page.CartLine(firstId).GetByTestId("line-quantity")).ToHaveValueAsync("3");
        await Expect(page.CartLine(firstId).GetByTestId("line-total")).ToHaveTextAsync(Storefront.Format(unitPrice * 3));
        await Expect(page.CartCount()).ToHaveTextAsync("4");
        var total = await page.GetByTestId("cart-total").InnerTextAsync();
        await screenshots.TakeAsync(page, "cart");

        // Check out and see the confirmation.
        await page.GetByRole(AriaRole.Link, new() { Name = "Check out" }).ClickAsync();
        await page.WaitForURLAsync("**/checkout");
        await Expect(page.GetByTestId("cart-total")).ToHaveTextAsync(total);
        await screenshots.TakeAsync(page, "checkout");
        await page.GetByRole(AriaRole.Button, new() { Name = "Place order" }).ClickAsync();
        await page.WaitForURLAsync(OrderUrl());
        await Expect(page.GetByTestId("order-id")).ToHaveTextAsync(OrderId());
        await Expect(page.Locator($"[data-testid=order-line][data-product-id='{firstId}']")).ToContainTextAsync("3 ×");
        await Expect(page.Locator($"[data-testid=order-line][data-product-id='{secondId}']")).ToContainTextAsync("1 ×");
        await Expect(page.GetByTestId("order-total")).ToHaveTextAsync(total);
        await Expect(page.CartCount()).ToHaveTextAsync("0");
        output.WriteLine($"Order {await page.GetByTestId("order-id").InnerTextAsync()} served by {await page.InstanceAsync()}");
        await screenshots.TakeAsync(page, "order-confirmation");

        // The signed-in devices page lists this browser, at the address the gateway saw.
        await page.GetByRole(AriaRole.Link, new() { Name = "Your devices" }).ClickAsync();
        var thisDevice = page.Locator("[data-testid=session][data-current=true]");
        await Expect(thisDevice.GetByTestId("this-device")).ToBeVisibleAsync();
        await Expect(thisDevice).ToContainTextAsync(address);
        await screenshots.TakeAsync(page, "sessions");
    }

    [GeneratedRegex(@"[?&]q=Skillet(&|$)")]
    private static partial Regex SearchUrl();

    [GeneratedRegex(@"/orders/[a-f0-9]{32}$")]
    private static partial Regex OrderUrl();

    [GeneratedRegex(@"^[a-f0-9]{32}$")]
    private static partial Regex OrderId();
}
