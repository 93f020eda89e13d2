using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Testing;

/// <summary>
/// The secrets a test Shop runs with (the AppHost's secret parameters, or a single service's configuration), fixed
/// so a test can act as the party that holds one: the gateway vouching for a client, the storefront minting a Cart
/// token, Cart.Api minting a Stock token. Each is as long as the services require (32 characters).
/// </summary>
public static class TestSecrets
{
    public const string AdminKey = "test-admin-key-0123456789abcdef0";
    public const string GatewayKey = "test-gateway-key-0123456789abcdef";
    public const string CartTokenKey = "test-cart-token-key-0123456789abcdef";
    public const string StockTokenKey = "test-stock-token-key-0123456789abcdef";
    public const string TokenLifetime = "00:02:00";

    /// <summary>The key ring's certificate (base64 PKCS#12), made once per test process as the AppHost makes it on first run.</summary>
    public static readonly string KeyRingCertificate = NewKeyRingCertificate();

    /// <summary>
    /// The headers the gateway adds for a client at <paramref name="clientAddress"/>: what a caller that goes to a
    /// storefront replica directly (the bench, measuring the replicas themselves) sends to stand in for the gateway.
    /// </summary>
    public static Dictionary<string, string> AsGatewayFor(string clientAddress) => new()
    {
        ["X-Forwarded-For"] = clientAddress,
        [GatewayTrust.HeaderName] = GatewayKey,
    };

    /// <summary>The AppHost arguments that hand these secrets to the services.</summary>
    public static readonly string[] AppHostParameters =
    [
        $"Parameters:admin-key={AdminKey}",
        $"Parameters:gateway-key={GatewayKey}",
        $"Parameters:cart-token-key={CartTokenKey}",
        $"Parameters:stock-token-key={StockTokenKey}",
        $"Parameters:key-ring-certificate={KeyRingCertificate}",
    ];

    /// <summary>Every service's own configuration keys for these secrets (for a service started on its own).</summary>
    public static readonly IReadOnlyDictionary<string, string> ServiceSettings = new Dictionary<string, string>
    {
        ["Admin:ApiKey"] = AdminKey,
        [GatewayTrust.ConfigurationKey] = GatewayKey,
        [ServiceTokens.Cart.KeyConfiguration] = CartTokenKey,
        [ServiceTokens.Stock.KeyConfiguration] = StockTokenKey,
        ["Tokens:Lifetime"] = TokenLifetime,
        ["DataProtection:Certificate"] = KeyRingCertificate,
    };

    private static readonly ServiceTokenIssuer CartIssuer = Issuer(ServiceTokens.Cart, CartTokenKey);
    private static readonly ServiceTokenIssuer StockIssuer = Issuer(ServiceTokens.Stock, StockTokenKey);

    /// <summary>A Cart token as the storefront mints it: it names <paramref name="cartId"/>, and at sign-in the cart to merge from.</summary>
    public static string CartToken(string cartId, string? mergeFrom = null) => mergeFrom is null
        ? CartIssuer.Issue(cartId, (ServiceTokens.CartClaim, cartId))
        : CartIssuer.Issue(cartId, (ServiceTokens.CartClaim, cartId), (ServiceTokens.MergeFromClaim, mergeFrom));

    /// <summary>A Stock token as Cart.Api mints it (<paramref name="scope"/> other than <c>stock</c> to prove it is checked).</summary>
    public static string StockToken(string scope = "stock") => StockIssuer.Issue("cart-api", (ServiceTokens.ScopeClaim, scope));

    /// <summary>A token of the right shape signed with a key nobody configured: what a forger can make.</summary>
    public static string ForgedCartToken(string cartId) =>
        Issuer(ServiceTokens.Cart, "not-the-cart-token-key-0123456789abcdef").Issue(cartId, (ServiceTokens.CartClaim, cartId));

    /// <summary>
    /// The claims of a token the callee would accept (signature, issuer, audience, lifetime), or null: how a stand-in
    /// for Cart.Api or Catalog.Api checks what the real one would.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, string>?> AcceptedClaimsAsync(ServiceTokens.Kind kind, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var key = kind == ServiceTokens.Cart ? CartTokenKey : kind == ServiceTokens.Stock ? StockTokenKey : throw new ArgumentOutOfRangeException(nameof(kind));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = kind.Issuer,
            ValidAudience = kind.Audience,
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)),
        });
        return result.IsValid ? result.Claims.ToDictionary(c => c.Key, c => c.Value.ToString() ?? "") : null;
    }

    private static ServiceTokenIssuer Issuer(ServiceTokens.Kind kind, string key) =>
        new(kind, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), TimeSpan.Parse(TokenLifetime, System.Globalization.CultureInfo.InvariantCulture), TimeProvider.System);

    private static string NewKeyRingCertificate()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest(
            "CN=Shop test key ring", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return Convert.ToBase64String(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12));
    }
}

/// <summary>
/// Calls Cart.Api as the storefront does: a request to <c>/api/carts/{cartId}</c> without an <c>Authorization</c> of
/// its own gets a Cart token naming that cart. An order or a merge names no cart in its path (or two), so its caller
/// sets the token itself (<see cref="TestSecrets.CartToken"/>), as does a test of a missing or wrong one.
/// </summary>
public sealed class CartTokenHandler : DelegatingHandler
{
    public CartTokenHandler()
    {
    }

    public CartTokenHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    /// <summary>GET <c>/api/orders/{orderId}</c> as the storefront sends it for the shopper whose cart placed the order.</summary>
    public static HttpRequestMessage OrderRequest(string orderId, string cartId) => new(HttpMethod.Get, $"/api/orders/{orderId}")
    {
        Headers = { Authorization = new("Bearer", TestSecrets.CartToken(cartId)) },
    };

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null
            && request.RequestUri?.AbsolutePath.Split('/') is ["", "api", "carts", { Length: > 0 } cartId, ..])
        {
            request.Headers.Authorization = new("Bearer", TestSecrets.CartToken(Uri.UnescapeDataString(cartId)));
        }
        return base.SendAsync(request, cancellationToken);
    }
}
