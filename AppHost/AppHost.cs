using Microsoft.Extensions.Configuration;
using Shop.AppHost;
using Shop.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

// One Redis for every replica of every service.
var cache = builder.AddShopRedisServer();

// Each secret goes only to the services that need it (README, "Security"), under the configuration key the service
// reads it from (ServiceDefaults: AdminApiKey, GatewayTrust, ServiceTokens).
var adminKey = builder.AddSecret("admin-key");          // operators → Catalog.Api's admin endpoints
var gatewayKey = builder.AddSecret("gateway-key");      // gateway → storefront: "this request came through me"
var cartTokenKey = builder.AddSecret("cart-token-key"); // storefront → Cart.Api: tokens naming the shopper's cart
var stockTokenKey = builder.AddSecret("stock-token-key"); // Cart.Api → Catalog.Api: tokens for reserving stock
// The storefront's Data Protection key ring is encrypted at rest with this certificate (who reads Redis' files reads no key).
var keyRingCertificate = builder.AddCertificateSecret("key-ring-certificate", validFor: TimeSpan.FromDays(3650));

var replicas = builder.Configuration.GetSection("Replicas");
var catalogDatabase = builder.Configuration["Catalog:DatabasePath"] is { Length: > 0 } path
    ? Path.GetFullPath(path, builder.AppHostDirectory)
    : Path.Combine(builder.AppHostDirectory, ".data", "catalog", "catalog.db");
Directory.CreateDirectory(Path.GetDirectoryName(catalogDatabase)!);

var catalog = builder.AddProject<Projects.Catalog_Api>("catalog-api")
    .WithShopDefaults(cache, replicas.GetValue("Catalog", 2))
    .WithSecret("Admin:ApiKey", adminKey)
    .WithSecret("Tokens:Stock:Key", stockTokenKey)
    // Every replica opens the same SQLite file: one source of truth, no copy per replica.
    .WithEnvironment("Catalog__DatabasePath", catalogDatabase)
    .WithAdminCommand("/api/catalog/admin/cache/flush", "Flush catalog cache", "flush-catalog-cache", adminKey, "DeleteDismiss")
    // Limiter counters live in Redis, so one replica resets them for every service.
    .WithAdminCommand("/admin/rate-limits/reset", "Reset rate limits", "reset-rate-limits", adminKey, "ArrowReset");

var cart = builder.AddProject<Projects.Cart_Api>("cart-api")
    .WithShopDefaults(cache, replicas.GetValue("Cart", 2))
    .WithSecret("Tokens:Cart:Key", cartTokenKey)
    .WithSecret("Tokens:Stock:Key", stockTokenKey)
    .WithReference(catalog).WaitFor(catalog);

// The one public entry (http://localhost:5080). Not behind the AppHost's proxy: it must see each client's own address.
var gateway = builder.AddProject<Projects.Shop_Gateway>("gateway", options => options.ExcludeLaunchProfile = true)
    .WithHttpEndpoint(port: builder.Configuration.GetValue("Gateway:Port", 5080), isProxied: false)
    .WithExternalHttpEndpoints()
    .WithSharedConfiguration("EdgeLimit")
    .WithSecret("Gateway:Key", gatewayKey)
    .WithHttpHealthCheck("/health");

// The storefront replicas, each a resource of its own with its own address, so the gateway balances per request.
for (var replica = 1; replica <= replicas.GetValue("Frontend", 3); replica++)
{
    var storefront = builder.AddStorefrontReplica(replica)
        .WithShopDefaults(cache, replicas: 1)
        .WithSecret("Gateway:Key", gatewayKey)
        .WithSecret("Tokens:Cart:Key", cartTokenKey)
        .WithSecret("DataProtection:Certificate", keyRingCertificate)
        .WithReference(catalog).WaitFor(catalog)
        .WithReference(cart).WaitFor(cart)
        .WithParentRelationship(gateway);
    gateway.BalancesTo(storefront);
}

builder.Build().Run();
