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
        var context = Request("203.0.113.7");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "alice")], "cookie"));

        Assert.Equal("user:alice", RateLimitPartitions.Shopper(context, recognisedSession: "0123abcd"));
    }

    [Fact]
    public void AnAnonymousShopperWithARecognisedSessionIsPartitionedByItOnAnyAddress()
    {
        var first = RateLimitPartitions.Shopper(Request("203.0.113.7"), recognisedSession: "0123abcd");
        var otherAddress = RateLimitPartitions.Shopper(Request("198.51.100.1"), recognisedSession: "0123abcd");
        var otherSession = RateLimitPartitions.Shopper(Request("203.0.113.7"), recognisedSession: "4567ef01");

        Assert.Equal("session:0123abcd", first);
        Assert.Equal(first, otherAddress);
        Assert.NotEqual(first, otherSession);
    }

    [Fact]
    public void AnUnauthenticatedIdentityDoesNotCountAsSignedIn()
    {
        var context = Request("203.0.113.7");
        context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "mallory")]));

        Assert.Equal("ip:203.0.113.7", RateLimitPartitions.Shopper(context, recognisedSession: null));
    }

    [Theory]
    [InlineData("203.0.113.7", "ip:203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "ip:203.0.113.7")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "ip:2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "ip:2001:db8:1:2::/64")]
    public void WithoutUserOrCookieTheShopperIsTheClientAddressAndIPv6CountsPer64(string address, string expected)
    {
        Assert.Equal(expected, RateLimitPartitions.Shopper(Request(address), recognisedSession: null));
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
