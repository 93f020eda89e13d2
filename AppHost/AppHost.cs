using Microsoft.Extensions.Configuration;
using Shop.AppHost;
using Shop.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

var cache = builder.AddShopRedis();
var replicas = builder.Configuration.GetSection("Replicas");

var catalog = builder.AddProject<Projects.Catalog_Api>("catalog-api")
    .WithShopDefaults(cache, replicas.GetValue("Catalog", 2));

var cart = builder.AddProject<Projects.Cart_Api>("cart-api")
    .WithShopDefaults(cache, replicas.GetValue("Cart", 2))
    .WithReference(catalog).WaitFor(catalog);

builder.AddProject<Projects.Web_Frontend>("web-frontend")
    .WithShopDefaults(cache, replicas.GetValue("Frontend", 3))
    .WithExternalHttpEndpoints()
    .WithReference(catalog).WaitFor(catalog)
    .WithReference(cart).WaitFor(cart);

builder.Build().Run();
