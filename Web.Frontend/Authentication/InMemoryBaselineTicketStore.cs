using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;

namespace Shop.Web.Frontend.Authentication;

/// <summary>
/// DEMONSTRATION only (<c>Baseline:InProcessSession</c>): sign-in tickets in this replica's memory, the
/// usual first "server-side session store". The cookie's ticket id means nothing to the other replicas, so
/// the shopper is signed in on one replica out of N, and a restart signs everyone out. The benchmark
/// measures exactly that against <see cref="RedisTicketStore"/>.
/// </summary>
internal sealed class InMemoryBaselineTicketStore(IMemoryCache cache) : ITicketStore
{
    private static readonly TimeSpan FallbackLifetime = TimeSpan.FromHours(8);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = "baseline-ticket:" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        Save(key, ticket);
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        Save(key, ticket);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(cache.TryGetValue(key, out AuthenticationTicket? ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        cache.Remove(key);
        return Task.CompletedTask;
    }

    private void Save(string key, AuthenticationTicket ticket) =>
        cache.Set(key, ticket, ticket.Properties.ExpiresUtc ?? DateTimeOffset.UtcNow + FallbackLifetime);
}
