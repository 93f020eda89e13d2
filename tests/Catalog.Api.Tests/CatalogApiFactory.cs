using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Testing;

namespace Shop.Catalog.Api.Tests;

/// <summary>
/// One Catalog.Api "replica": its own service provider and so its own Redis multiplexer (libraries dispose
/// the one they are handed), pointed at a shared Redis and a shared SQLite file like the AppHost does.
/// </summary>
public sealed class CatalogApiFactory(string redisConnectionString, string databasePath, string adminKey = CatalogApiFactory.AdminKey, string replicaId = "replica-a")
    : WebApplicationFactory<CatalogApiAssembly>
{
    public const string AdminKey = TestSecrets.AdminKey;

    public string ReplicaId { get; } = replicaId;

    public string InstanceHeader => $"catalog-api/{ReplicaId}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environments.Production);
        builder.UseSetting("ConnectionStrings:cache", redisConnectionString);
        builder.UseSetting("Catalog:DatabasePath", databasePath);
        foreach (var (key, value) in TestSecrets.ServiceSettings)
        {
            builder.UseSetting(key, value);
        }
        builder.UseSetting("Admin:ApiKey", adminKey);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        builder.ConfigureTestServices(services => services.AddSingleton(new ReplicaIdentity("catalog-api", ReplicaId)));
    }

    /// <summary>A client that calls this replica by its own host name, as a caller behind a proxy might.</summary>
    public HttpClient CreateClientFor(string host) =>
        CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri($"http://{host}/") });

    public static string TempDatabasePath() =>
        Path.Combine(Directory.CreateTempSubdirectory("shop-catalog-").FullName, "catalog.db");
}
