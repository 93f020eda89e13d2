using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed class SignOutTests(StorefrontFixture shop, ITestOutputHelper output)
{
    [BrowserFact]
    public async Task SigningOutInOneTabMakesEveryOtherTabWithTheSameCookieAnonymousOnItsNextPage()
    {
        await using var context = await shop.NewShopperAsync();
        var first = await context.NewPageAsync();
        await first.SignInAsync("bob");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/cart");
        await Expect(second.GetByTestId("user-name")).ToHaveTextAsync("Bob Builder");

        // Other windows holding a copy of the same cookie, each on its own connections, so the proxy spreads
        // them over the replicas until every replica has shown Bob signed in: the sign-out must reach replicas
        // that never served it.
        var replicas = shop.Shop.ReplicaInstances(ShopResources.Frontend);
        var cookies = await context.CookiesAsync();
        var copies = new List<(IBrowserContext Context, IPage Page, string Instance)>();
        try
        {
            for (var i = 0; i < EveryReplica.MaxAttempts && !copies.Select(c => c.Instance).ToHashSet().IsSupersetOf(replicas); i++)
            {
                var copyContext = await shop.NewShopperAsync();
                await copyContext.AddCookiesAsync(cookies.Select(c => new Cookie
                {
                    Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, Expires = c.Expires,
                    HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
                }));
                var copy = await copyContext.NewPageAsync();
                await copy.GotoAsync("/cart");
                await Expect(copy.GetByTestId("user-name")).ToHaveTextAsync("Bob Builder");
                copies.Add((copyContext, copy, await copy.InstanceAsync()));
            }
            var instances = copies.Select(c => c.Instance).Distinct().Order().ToList();
            output.WriteLine($"Signed in on {string.Join(", ", instances)}; signing out on {await first.InstanceAsync()}");
            Assert.Equal(replicas.Order(), instances);

            await first.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Expect(first.SignInLink()).ToBeVisibleAsync();
            await Expect(first.GetByTestId("user-name")).ToHaveCountAsync(0);

            await second.GotoAsync("/cart");
            await Expect(second.SignInLink()).ToBeVisibleAsync();
            await Expect(second.GetByTestId("user-name")).ToHaveCountAsync(0);

            foreach (var (_, copy, _) in copies)
            {
                await copy.GotoAsync("/cart");
                await Expect(copy.SignInLink()).ToBeVisibleAsync();
                await Expect(copy.GetByTestId("user-name")).ToHaveCountAsync(0);
                await copy.GotoAsync("/account/sessions");
                await copy.WaitForURLAsync("**/account/login?**");
            }
        }
        finally
        {
            foreach (var (copyContext, _, _) in copies)
            {
                await copyContext.DisposeAsync();
            }
        }
    }
}
