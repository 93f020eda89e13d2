using System.Net;
using Shop.Testing;

namespace Shop.Bench.Storefront;

/// <summary>
/// One shopper of the storefront, as the benchmark needs it: its own cookies (sent by hand, so a request can
/// go to any replica address), a client address of its own, sent as the gateway sends it
/// (<see cref="TestSecrets.AsGatewayFor"/>: the benchmark stands in for the gateway, so each simulated shopper has
/// its own rate-limit budget, as real shoppers do), and the two forms that create state: add to
/// cart and sign in. A form is always fetched and posted on the same replica: with the per-replica baseline,
/// another replica could not read its antiforgery token.
/// </summary>
public sealed class Shopper(string clientAddress)
{
    public const string SessionCookie = ".shop.session";
    public const string AuthCookie = ".shop.auth";

    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public string ClientAddress { get; } = clientAddress;

    /// <summary>The Cookie header this shopper sends (empty when it has none).</summary>
    public string CookieHeader => string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));

    public bool Has(string cookie) => _cookies.ContainsKey(cookie);

    /// <summary>Headers for a load generator: this shopper's cookies and address.</summary>
    public IReadOnlyDictionary<string, string> Headers()
    {
        var headers = TestSecrets.AsGatewayFor(ClientAddress);
        if (_cookies.Count > 0)
        {
            headers["Cookie"] = CookieHeader;
        }
        return headers;
    }

    public async Task<StorefrontPage> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendAsync(client, request, cancellationToken);
        return await StorefrontPage.ReadAsync(response, cancellationToken);
    }

    /// <summary>
    /// Adds one of a product to the cart (creating the anonymous session) on <paramref name="replica"/>. The form is
    /// posted as the cached product page's form is: without an antiforgery token (the page is shared by every
    /// anonymous shopper, so it carries none; CrossSiteRequestGuard refuses what another site sends instead).
    /// </summary>
    public Task AddToCartAsync(HttpClient client, Uri replica, int productId, CancellationToken cancellationToken) =>
        PostFormAsync(client, replica, formPage: null, "/cart/add",
            new() { ["productId"] = $"{productId}", ["quantity"] = "1" }, SessionCookie, cancellationToken);

    public Task SignInAsync(HttpClient client, Uri replica, string user, CancellationToken cancellationToken) =>
        PostFormAsync(client, replica, "/account/login", "/account/login",
            new() { ["username"] = user, ["password"] = $"{user}-shops-2026", ["returnUrl"] = "/" }, AuthCookie, cancellationToken);

    /// <summary>
    /// Fetches the form (for its antiforgery token, when <paramref name="formPage"/> is given) and posts it. A 5xx
    /// (a dependency slow to answer on a busy machine) is retried twice:
    /// the benchmark measures steady state, and its set-up must not fail on one slow request.
    /// </summary>
    private async Task PostFormAsync(HttpClient client, Uri replica, string? formPage, string action,
        Dictionary<string, string> fields, string expectedCookie, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PostFormOnceAsync(client, replica, formPage, action, new Dictionary<string, string>(fields), expectedCookie, cancellationToken);
                return;
            }
            catch (Exception ex) when (attempt < 3 && ex is ServerErrorException or HttpRequestException or TaskCanceledException
                && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    private async Task PostFormOnceAsync(HttpClient client, Uri replica, string? formPage, string action,
        Dictionary<string, string> fields, string expectedCookie, CancellationToken cancellationToken)
    {
        if (formPage is not null)
        {
            var page = await GetAsync(client, new Uri(replica, formPage), cancellationToken);
            if ((int)page.Status >= 500)
            {
                throw new ServerErrorException($"GET {formPage} answered {(int)page.Status}.");
            }
            fields["__RequestVerificationToken"] = page.AntiforgeryToken
                ?? throw new InvalidOperationException($"No antiforgery token on {formPage} ({page.Status}).");
            foreach (var (name, value) in page.KeepCartFields)
            {
                fields[name] = value;
            }
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(replica, action))
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        using var response = await SendAsync(client, request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new ServerErrorException($"POST {action} answered {(int)response.StatusCode}.");
        }
        if ((int)response.StatusCode >= 400 || !Has(expectedCookie))
        {
            throw new InvalidOperationException(
                $"POST {action} answered {(int)response.StatusCode} without setting {expectedCookie}.");
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in Headers())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                Remember(setCookie);
            }
        }
        return response;
    }

    private void Remember(string setCookie)
    {
        var nameValue = setCookie.Split(';', 2)[0];
        var separator = nameValue.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0)
        {
            return;
        }
        var (name, value) = (nameValue[..separator].Trim(), nameValue[(separator + 1)..].Trim());
        if (value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
        {
            _cookies.Remove(name);
        }
        else
        {
            _cookies[name] = value;
        }
    }

    /// <summary>A client that never follows redirects and opens a new connection per request when asked.</summary>
    public static HttpClient CreateClient(bool newConnectionPerRequest) => new(new SocketsHttpHandler
    {
        UseCookies = false,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = newConnectionPerRequest ? TimeSpan.Zero : Timeout.InfiniteTimeSpan,
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };
}

/// <summary>The storefront answered 5xx during set-up.</summary>
public sealed class ServerErrorException(string message) : Exception(message);
