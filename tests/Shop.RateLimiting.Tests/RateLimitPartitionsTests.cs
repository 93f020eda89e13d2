using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Shop.ServiceDefaults.RateLimiting;

namespace Shop.RateLimiting.Tests;

public sealed class RateLimitPartitionsTests
{
    [Fact]
    public void ASignedInShopperIsPartitionedByUserIdEvenWithASessionCookie()
    {
        var context = Request("203.0.113.7", cookie: ".Shop.Session=abc");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "cookie"));

        Assert.Equal("user:alice", RateLimitPartitions.Shopper(context, ".Shop.Session"));
    }

    [Fact]
    public void AnAnonymousShopperWithASessionCookieIsPartitionedByAHashOfItNotTheCookieItself()
    {
        var first = RateLimitPartitions.Shopper(Request("203.0.113.7", cookie: ".Shop.Session=secret-value"), ".Shop.Cart", ".Shop.Session");
        var sameCookieOtherIp = RateLimitPartitions.Shopper(Request("198.51.100.1", cookie: ".Shop.Session=secret-value"), ".Shop.Cart", ".Shop.Session");
        var otherCookie = RateLimitPartitions.Shopper(Request("203.0.113.7", cookie: ".Shop.Session=other-value"), ".Shop.Cart", ".Shop.Session");

        Assert.StartsWith("cookie:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", first, StringComparison.Ordinal);
        Assert.Equal(first, sameCookieOtherIp);
        Assert.NotEqual(first, otherCookie);
    }

    [Fact]
    public void AnUnauthenticatedIdentityDoesNotCountAsSignedIn()
    {
        var context = Request("203.0.113.7");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "mallory")]));

        Assert.Equal("ip:203.0.113.7", RateLimitPartitions.Shopper(context, ".Shop.Session"));
    }

    [Theory]
    [InlineData("203.0.113.7", "ip:203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "ip:203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "ip:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "ip:2001:db8:1:2::/64")]
    public void WithoutUserOrCookieTheShopperIsTheClientAddressAndIPv6CountsPer64(string address, string expected)
    {
        Assert.Equal(expected, RateLimitPartitions.Shopper(Request(address), ".Shop.Session"));
    }

    [Fact]
    public void AccountNamesDifferingOnlyInCaseOrSpacesShareAPartition()
    {
        Assert.Equal(RateLimitPartitions.Account("Alice "), RateLimitPartitions.Account("alice"));
    }

    [Fact]
    public void PartitionKeysCarryThePolicyName()
    {
        Assert.Equal("browse:user:alice", RateLimitPartitions.Key("browse", "user:alice"));
    }

    private static DefaultHttpContext Request(string address, string? cookie = null)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(address);
        if (cookie is not null)
        {
            context.Request.Headers.Cookie = cookie;
        }
        return context;
    }
}
