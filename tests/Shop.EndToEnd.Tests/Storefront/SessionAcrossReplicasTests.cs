using System.Net;

namespace Shop.EndToEnd.Tests.Storefront;

[Collection(ShopAppCollection.Name)]
public sealed class SessionAcrossReplicasTests(ShopAppFixture shop)
{
    private const int Visits = 15;

    private Shopper NewShopper() => new(shop.Endpoint(ShopResources.Frontend));

    private static void AssertEveryReplicaAnswered(IEnumerable<Page> pages) =>
        Assert.Equal(ShopResources.Replicas[ShopResources.Frontend], pages.Select(p => p.Instance).Distinct().Count());

    private static async Task<List<Page>> VisitAsync(Shopper shopper, string path)
    {
        var pages = new List<Page>();
        for (var i = 0; i < Visits || pages.Select(p => p.Instance).Distinct().Count() < 3 && i < 60; i++)
        {
            pages.Add(await shopper.GetAsync(path));
        }
        return pages;
    }

    [Fact]
    public async Task ACartBuiltAnonymouslyIsCompleteOnEveryStorefrontReplica()
    {
        using var shopper = NewShopper();
        await shopper.AddToCartAsync(11, 2);
        await shopper.AddToCartAsync(12);

        var pages = await VisitAsync(shopper, "/cart");

        AssertEveryReplicaAnswered(pages);
        Assert.All(pages, page =>
        {
            Assert.Equal(new[] { 11, 12 }, page.CartLineProductIds.Order());
            Assert.Equal(3, page.CartCount);
        });
    }

    [Fact]
    public async Task SignInOnOneReplicaIsRecognizedOnAll()
    {
        using var shopper = NewShopper();
        await shopper.SignInAsync("alice");

        var pages = await VisitAsync(shopper, "/");

        AssertEveryReplicaAnswered(pages);
        Assert.All(pages, page => Assert.Equal("Alice Liddell", page.UserName));
    }

    [Fact]
    public async Task SignOutOnOneReplicaMakesTheOldCookieAnonymousOnAll()
    {
        using var shopper = NewShopper();
        await shopper.SignInAsync("bob");
        var stolen = shopper.Cookies.GetCookieHeader(shopper.BaseAddress);

        await shopper.SignOutAsync();

        using var replay = NewShopper();
        replay.Cookies.SetCookies(replay.BaseAddress, stolen.Replace("; ", ","));
        var pages = await VisitAsync(replay, "/account/sessions");
        AssertEveryReplicaAnswered(pages);
        Assert.All(pages, page =>
        {
            Assert.Null(page.UserName);
            Assert.Contains("/account/login", page.Url!.AbsolutePath);
        });
    }

    [Fact]
    public async Task RevokingADeviceFromTheSessionsPageSignsItOutOnEveryReplica()
    {
        using var laptop = NewShopper();
        using var phone = NewShopper();
        await laptop.SignInAsync("carol");
        await phone.SignInAsync("carol");
        var phoneCookie = phone.CookieValue(".shop.auth");
        Assert.NotNull(phoneCookie);

        var devices = await laptop.GetAsync("/account/sessions");
        var ours = devices.Sessions.Single(s => s.Current).TicketId;
        var others = devices.Sessions.Where(s => !s.Current).Select(s => s.TicketId).ToList();
        Assert.NotEmpty(others);
        await laptop.PostFormAsync("/account/sessions", "/account/sessions?handler=revokeothers", new Dictionary<string, string>());

        var pages = await VisitAsync(phone, "/");
        AssertEveryReplicaAnswered(pages);
        Assert.All(pages, page => Assert.Null(page.UserName));
        var after = await laptop.GetAsync("/account/sessions");
        Assert.Equal("Carol Danvers", after.UserName);
        Assert.Equal(new[] { ours }, after.Sessions.Select(s => s.TicketId));
    }

    [Fact]
    public async Task APlantedSessionCookieIsNotTheSessionAfterSignIn()
    {
        using var attacker = NewShopper();
        await attacker.AddToCartAsync(21);
        var planted = attacker.CookieValue(".shop.session");
        Assert.NotNull(planted);

        using var victim = NewShopper();
        victim.Cookies.Add(victim.BaseAddress, new Cookie(".shop.session", planted, "/"));
        await victim.AddToCartAsync(22);
        await victim.SignInAsync("alice");

        Assert.NotEqual(planted, victim.CookieValue(".shop.session"));
        var attackerView = await attacker.GetAsync("/cart");
        Assert.Null(attackerView.UserName);
        Assert.DoesNotContain(22, attackerView.CartLineProductIds);
    }

    [Fact]
    public async Task TheAnonymousCartIsMergedIntoTheAccountAtSignIn()
    {
        using var shopper = NewShopper();
        var product = Random.Shared.Next(300, 1100);
        await shopper.AddToCartAsync(product, 2);

        await shopper.SignInAsync("bob");

        var pages = await VisitAsync(shopper, "/cart");
        AssertEveryReplicaAnswered(pages);
        Assert.All(pages, page =>
        {
            Assert.Equal("Bob Builder", page.UserName);
            Assert.Contains(product, page.CartLineProductIds);
        });
    }

    [Fact]
    public async Task AnOrderIsShownOnlyToItsOwner()
    {
        var product = (await shop.InStockProductsAsync(1)).Single();
        await shop.ClearCartAsync("u-alice");
        using var alice = NewShopper();
        await alice.SignInAsync("alice");
        await alice.AddToCartAsync(product);
        var checkout = await alice.GetAsync("/checkout");
        var key = System.Text.RegularExpressions.Regex.Match(checkout.Html, "name=\"idempotencyKey\" value=\"([0-9a-f]{32})\"").Groups[1].Value;
        var confirmation = await alice.PostFormAsync("/checkout", "/checkout", new Dictionary<string, string> { ["idempotencyKey"] = key });
        Assert.Equal(HttpStatusCode.OK, confirmation.Status);
        var orderPath = confirmation.Url!.AbsolutePath;
        Assert.StartsWith("/orders/", orderPath);

        using var bob = NewShopper();
        await bob.SignInAsync("bob");
        var stranger = await bob.GetAsync(orderPath);

        Assert.Equal(HttpStatusCode.NotFound, stranger.Status);
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync(orderPath)).Status);
    }
}
