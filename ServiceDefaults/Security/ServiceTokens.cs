using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Short-lived signed tokens (JWT, HMAC-SHA256) by which one Shop service tells another whom it acts for, in the
/// manner of dotnet/eShop's basket API: the callee trusts the token, not the caller's address or the URL, so a
/// process that merely reaches an internal port can do nothing. Each kind has its own key (an AppHost secret
/// parameter), held only by the service that signs it and the one that checks it.
/// </summary>
public static class ServiceTokens
{
    /// <summary>A kind of token: who signs it, who accepts it, and where both find the shared key.</summary>
    public sealed record Kind(string Issuer, string Audience, string KeyConfiguration);

    /// <summary>The storefront, acting for one shopper's cart (claim <see cref="CartClaim"/>), to Cart.Api.</summary>
    public static readonly Kind Cart = new("web-frontend", "cart-api", "Tokens:Cart:Key");

    /// <summary>Cart.Api, reserving and releasing stock during checkout, to Catalog.Api.</summary>
    public static readonly Kind Stock = new("cart-api", "catalog-api", "Tokens:Stock:Key");

    /// <summary>The one cart a Cart token lets its bearer read and write.</summary>
    public const string CartClaim = "cart";

    /// <summary>The anonymous cart a Cart token may also merge from (at sign-in), and delete by merging.</summary>
    public const string MergeFromClaim = "merge_from";

    /// <summary>A Stock token's permission to reserve and release.</summary>
    public const string ScopeClaim = "scope";

    private const int MinimumKeyLength = 32;

    /// <summary>Signs <paramref name="kind"/> tokens, each valid for <c>Tokens:Lifetime</c> (a request, not a session).</summary>
    public static TBuilder AddServiceTokenIssuer<TBuilder>(this TBuilder builder, Kind kind) where TBuilder : IHostApplicationBuilder
    {
        var key = SigningKey(builder.Configuration, kind);
        var lifetime = builder.Configuration.GetValue<TimeSpan?>("Tokens:Lifetime")
            ?? throw new InvalidOperationException("Tokens:Lifetime (how long a service token is valid) is not configured.");
        builder.Services.AddSingleton(new ServiceTokenIssuer(kind, key, lifetime, TimeProvider.System));
        return builder;
    }

    /// <summary>Accepts <paramref name="kind"/> tokens as the default authentication (bearer): signature, issuer, audience, lifetime.</summary>
    public static TBuilder AddServiceTokenAuthentication<TBuilder>(this TBuilder builder, Kind kind) where TBuilder : IHostApplicationBuilder
    {
        var key = SigningKey(builder.Configuration, kind);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = kind.Issuer,
                ValidAudience = kind.Audience,
                IssuerSigningKey = key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static SymmetricSecurityKey SigningKey(IConfiguration configuration, Kind kind) =>
        configuration[kind.KeyConfiguration] is { Length: >= MinimumKeyLength } key
            ? new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key))
            : throw new InvalidOperationException(
                $"{kind.KeyConfiguration} (the key {kind.Issuer} signs its {kind.Audience} tokens with) is missing or shorter than {MinimumKeyLength} characters.");
}

/// <summary>Signs the tokens of one <see cref="ServiceTokens.Kind"/>.</summary>
public sealed class ServiceTokenIssuer(ServiceTokens.Kind kind, SecurityKey key, TimeSpan lifetime, TimeProvider time)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private readonly SigningCredentials _credentials = new(key, SecurityAlgorithms.HmacSha256);

    public string Issue(string subject, params (string Type, string Value)[] claims)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = kind.Issuer,
            Audience = kind.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject), .. claims.Select(c => new Claim(c.Type, c.Value))]),
            SigningCredentials = _credentials,
        });
    }
}
