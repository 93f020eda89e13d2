using Microsoft.Extensions.Configuration;
using Shop.AppHost;
using Shop.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

var cache = builder.AddShopRedisServer();
var adminKey = builder.AddParameter("admin-key",
    new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);
var catalogDatabase = builder.Configuration["Catalog:DatabasePath"] is { Length: > 0 } path
    ? Path.GetFullPath(path, builder.AppHostDirectory)
    : Path.Combine(builder.AppHostDirectory, ".data", "catalog", "catalog.db");
Directory.CreateDirectory(Path.GetDirectoryName(catalogDatabase)!);
var replicas = builder.Configuration.GetSection("Replicas");

var catalog = builder.AddProject<Projects.Catalog_Api>("catalog-api")
    .WithShopDefaults(cache, adminKey, replicas.GetValue("Catalog", 2))
    // Every replica opens the same SQLite file: one source of truth, no copy per replica.
    .WithEnvironment("Catalog__DatabasePath", catalogDatabase)
    .WithAdminCommand("/api/catalog/admin/cache/flush", "Flush catalog cache", "flush-catalog-cache", adminKey, "DeleteDismiss");

var cart = builder.AddProject<Projects.Cart_Api>("cart-api")
    .WithShopDefaults(cache, adminKey, replicas.GetValue("Cart", 2))
    .WithReference(catalog).WaitFor(catalog);

builder.AddProject<Projects.Web_Frontend>("web-frontend")
    .WithShopDefaults(cache, adminKey, replicas.GetValue("Frontend", 3))
    .WithExternalHttpEndpoints()
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(cart).WaitFor(cart);

builder.Build().Run();
