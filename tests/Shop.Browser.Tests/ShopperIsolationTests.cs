using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed class ShopperIsolationTests(StorefrontFixture shop)
{
    private const int AliceProduct = 14;
    private const int BobProduct = 1107;

    [BrowserFact]
    public async Task TwoShoppersInTwoBrowsersNeverSeeEachOthersCartOrName()
    {
        Assert.True(await shop.StockOfAsync(AliceProduct) > 0 && await shop.StockOfAsync(BobProduct) > 0, "Both products must be in stock.");
        await shop.EmptyCartAsync("alice");
        await shop.EmptyCartAsync("bob");
        await using var aliceContext = await shop.NewShopperAsync();
        await using var bobContext = await shop.NewShopperAsync();
        var alice = await aliceContext.NewPageAsync();
        var bob = await bobContext.NewPageAsync();

        // Anonymous: each session cart holds only its own line.
        await alice.AddToCartFromProductPageAsync(AliceProduct);
        await bob.AddToCartFromProductPageAsync(BobProduct);
        await AssertCartHoldsOnlyAsync(alice, AliceProduct, BobProduct);
        await AssertCartHoldsOnlyAsync(bob, BobProduct, AliceProduct);

        // Signed in: each merged cart is the shopper's own, and so is the name in the header.
        await alice.SignInAsync("alice", "/cart");
        await bob.SignInAsync("bob", "/cart");
        for (var round = 0; round < 2; round++)
        {
            await AssertSeesOnlyOwnAsync(alice, "alice", AliceProduct, "bob", BobProduct);
            await AssertSeesOnlyOwnAsync(bob, "bob", BobProduct, "alice", AliceProduct);
        }

        // A third, anonymous visitor gets the shared (cacheable) pages with neither name nor cart in them.
        await using var visitorContext = await shop.NewShopperAsync();
        var visitor = await visitorContext.NewPageAsync();
        foreach (var url in new[] { "/", $"/products/{AliceProduct}", $"/products/{BobProduct}", "/cart" })
        {
            await visitor.GotoAsync(url);
            await Expect(visitor.GetByTestId("user-name")).ToHaveCountAsync(0);
            await Expect(visitor.Locator("body")).Not.ToContainTextAsync("Alice Liddell");
            await Expect(visitor.Locator("body")).Not.ToContainTextAsync("Bob Builder");
            await Expect(visitor.CartCount()).ToHaveTextAsync("0");
        }
    }

    private static async Task AssertSeesOnlyOwnAsync(IPage page, string user, int ownProduct, string other, int otherProduct)
    {
        foreach (var url in new[] { "/", $"/products/{ownProduct}", $"/products/{otherProduct}" })
        {
            await page.GotoAsync(url);
            await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(Storefront.DisplayNameOf(user));
            await Expect(page.Locator("body")).Not.ToContainTextAsync(Storefront.DisplayNameOf(other));
            await Expect(page.CartCount()).ToHaveTextAsync("1");
        }
        await AssertCartHoldsOnlyAsync(page, ownProduct, otherProduct);
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(Storefront.DisplayNameOf(user));
    }

    private static async Task AssertCartHoldsOnlyAsync(IPage page, int own, int other)
    {
        await page.GotoAsync("/cart");
        await Expect(page.CartLine(own)).ToBeVisibleAsync();
        await Expect(page.CartLine(other)).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("cart-line")).ToHaveCountAsync(1);
    }
}
