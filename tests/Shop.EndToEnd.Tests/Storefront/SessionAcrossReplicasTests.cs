using System.Net;

namespace Shop.EndToEnd.Tests.Storefront;

[Collection(ShopAppCollection.Name)]
public sealed class SessionAcrossReplicasTests(ShopAppFixture shop)
{
    private Shopper NewShopper(string userAgent = "ShopE2E/1.0") => new(shop.Endpoint(ShopResources.Frontend), userAgent: userAgent);

    /// <summary>Visits <paramref name="path"/> until every storefront replica has answered, checking each page.</summary>
    private Task<IReadOnlyList<StorefrontPage>> OnEveryReplicaAsync(Shopper shopper, string path, Action<StorefrontPage> check) =>
        EveryReplica.ShowsAsync(shop.ReplicaInstances(ShopResources.Frontend), () => shopper.GetAsync(path), page => page.Instance, page =>
        {
            Assert.Equal(HttpStatusCode.OK, page.Status);
            check(page);
        });

    /// <summary>A second browser holding a copy of <paramref name="shopper"/>'s cookies, as a thief or another tab would.</summary>
    private Shopper CopyOf(Shopper shopper)
    {
        var copy = NewShopper();
        copy.Cookies.Add(shopper.Cookies.GetAllCookies());
        return copy;
    }

    [Fact]
    public async Task ACartBuiltAnonymouslyIsCompleteOnEveryStorefrontReplica()
    {
        using var shopper = NewShopper();
        await shopper.AddToCartAsync(11, 2);
        await shopper.AddToCartAsync(12);

        await OnEveryReplicaAsync(shopper, "/cart", page =>
        {
            Assert.Equal(new Dictionary<int, int> { [11] = 2, [12] = 1 }, page.CartLines);
            Assert.Equal(3, page.CartCount);
        });
    }

    [Fact]
    public async Task SignInOnOneReplicaIsRecognizedOnAll()
    {
        using var shopper = NewShopper();
        await OnEveryReplicaAsync(shopper, "/", page => Assert.Null(page.UserName));

        await shopper.SignInAsync("alice");

        await OnEveryReplicaAsync(shopper, "/", page => Assert.Equal("Alice Liddell", page.UserName));
    }

    [Fact]
    public async Task SignOutOnOneReplicaMakesTheOldCookieAnonymousOnAll()
    {
        using var shopper = NewShopper();
        await shopper.SignInAsync("bob");
        using var replay = CopyOf(shopper);
        // The copied cookie is Bob on every replica before the sign-out: no replica can be relying on a ticket it
        // never saw, and a per-replica cache of tickets would have been filled on all of them.
        await OnEveryReplicaAsync(replay, "/account/sessions", page => Assert.Equal("Bob Builder", page.UserName));

        var signedOut = await shopper.SignOutAsync();

        Assert.Equal(HttpStatusCode.OK, signedOut.Status);
        Assert.Null(signedOut.UserName);
        await OnEveryReplicaAsync(replay, "/account/sessions", page =>
        {
            Assert.Null(page.UserName);
            Assert.Contains("/account/login", page.Url!.AbsolutePath);
        });
    }

    [Fact]
    public async Task RevokingADeviceFromTheSessionsPageSignsItOutOnEveryReplica()
    {
        var phoneAgent = "Phone/" + Guid.NewGuid().ToString("N");
        using var laptop = NewShopper();
        using var phone = NewShopper(phoneAgent);
        await laptop.SignInAsync("carol");
        await phone.SignInAsync("carol");
        await OnEveryReplicaAsync(phone, "/", page => Assert.Equal("Carol Danvers", page.UserName));
        var devices = await laptop.GetAsync("/account/sessions");
        var phoneTicket = Assert.Single(devices.Sessions, s => s.Device == phoneAgent).TicketId;
        var laptopTicket = Assert.Single(devices.Sessions, s => s.Current).TicketId;

        var revoked = await laptop.PostFormAsync("/account/sessions", "/account/sessions?handler=revoke", ("ticketId", phoneTicket));

        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.Equal("/account/sessions", revoked.Url!.AbsolutePath);
        Assert.DoesNotContain(revoked.Sessions, s => s.TicketId == phoneTicket);
        await OnEveryReplicaAsync(phone, "/", page => Assert.Null(page.UserName));
        await OnEveryReplicaAsync(laptop, "/account/sessions", page =>
        {
            Assert.Equal("Carol Danvers", page.UserName);
            Assert.Contains(page.Sessions, s => s.TicketId == laptopTicket && s.Current);
            Assert.DoesNotContain(page.Sessions, s => s.TicketId == phoneTicket);
        });
    }

    [Fact]
    public async Task SigningOutEveryOtherDeviceLeavesOnlyThisOneOnEveryReplica()
    {
        using var laptop = NewShopper();
        using var phone = NewShopper("Phone/" + Guid.NewGuid().ToString("N"));
        using var tablet = NewShopper("Tablet/" + Guid.NewGuid().ToString("N"));
        await laptop.SignInAsync("carol");
        await phone.SignInAsync("carol");
        await tablet.SignInAsync("carol");
        await OnEveryReplicaAsync(phone, "/", page => Assert.Equal("Carol Danvers", page.UserName));
        await OnEveryReplicaAsync(tablet, "/", page => Assert.Equal("Carol Danvers", page.UserName));
        var ours = Assert.Single((await laptop.GetAsync("/account/sessions")).Sessions, s => s.Current).TicketId;

        var after = await laptop.PostFormAsync("/account/sessions", "/account/sessions?handler=revokeothers");

        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal(new[] { ours }, after.Sessions.Select(s => s.TicketId));
        await OnEveryReplicaAsync(phone, "/", page => Assert.Null(page.UserName));
        await OnEveryReplicaAsync(tablet, "/", page => Assert.Null(page.UserName));
        await OnEveryReplicaAsync(laptop, "/account/sessions", page => Assert.Equal(new[] { ours }, page.Sessions.Select(s => s.TicketId)));
    }

    [Fact]
    public async Task APlantedSessionCookieIsNotTheSessionAfterSignIn()
    {
        using var attacker = NewShopper();
        await attacker.AddToCartAsync(21);
        var planted = attacker.Cookie(".shop.session");
        Assert.NotNull(planted);

        using var victim = NewShopper();
        victim.Cookies.Add(victim.BaseAddress, new Cookie(".shop.session", planted, "/"));
        await victim.AddToCartAsync(22);
        await victim.SignInAsync("alice");

        Assert.NotEqual(planted, victim.Cookie(".shop.session"));
        var attackerView = await attacker.GetAsync("/cart");
        Assert.Null(attackerView.UserName);
        Assert.DoesNotContain(22, attackerView.CartLineProductIds);
    }

    [Fact]
    public async Task TheAnonymousCartIsMergedIntoTheAccountAtSignIn()
    {
        await shop.ClearCartAsync("u-bob");
        using var shopper = NewShopper();
        var product = Random.Shared.Next(300, 1100);
        await shopper.AddToCartAsync(product, 2);

        await shopper.SignInAsync("bob");

        await OnEveryReplicaAsync(shopper, "/cart", page =>
        {
            Assert.Equal("Bob Builder", page.UserName);
            Assert.Equal(new Dictionary<int, int> { [product] = 2 }, page.CartLines);
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
        var confirmation = await alice.PostAsync("/checkout", checkout.AntiforgeryToken, ("idempotencyKey", checkout.IdempotencyKey!));
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
