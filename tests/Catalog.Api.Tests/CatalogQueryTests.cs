using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Shop.Catalog.Api.Api;
using Shop.Catalog.Api.Data;

namespace Shop.Catalog.Api.Tests;

/// <summary>Reads against the seeded data (this class never writes, so the seed is the expected answer).</summary>
public sealed class CatalogQueryTests(CatalogFixture fixture) : IClassFixture<CatalogFixture>
{
    private static readonly IReadOnlyList<CatalogSeed.SeedProduct> Seed = CatalogSeed.Generate().Products;

    private HttpClient Client => fixture.Client;

    [Fact]
    public void TheSeedIsRealisticAndDeterministic()
    {
        var again = CatalogSeed.Generate().Products;

        Assert.True(Seed.Count >= 1_000);
        Assert.True(Seed.Select(p => p.Category).Distinct().Count() >= 8);
        Assert.Equal(Seed.Count, Seed.Select(p => p.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(Seed, again);
        Assert.Contains(Seed, p => p.Stock == 0);
    }

    [Fact]
    public async Task TheDefaultListIsTheFirstTwelveProductsByName()
    {
        var page = await Client.GetPageAsync("/api/catalog/items");

        var expected = Seed.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id).Take(12).Select(p => p.Id);
        Assert.Equal(expected, page.Items.Select(i => i.Id));
        Assert.Equal((1, 12, Seed.Count), (page.Page, page.PageSize, page.Total));
    }

    [Fact]
    public async Task AnItemHasEveryContractFieldWithTheSeededValues()
    {
        var seeded = Seed[16];
        using var response = await Client.GetAsync($"/api/catalog/items/{seeded.Id}");
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(seeded.Id, json.GetProperty("id").GetInt32());
        Assert.Equal(seeded.Name, json.GetProperty("name").GetString());
        Assert.Equal(seeded.Description, json.GetProperty("description").GetString());
        Assert.Equal(seeded.Brand, json.GetProperty("brand").GetString());
        Assert.Equal(seeded.PriceCents / 100m, json.GetProperty("price").GetDecimal());
        Assert.Equal(seeded.Stock, json.GetProperty("stock").GetInt32());
        Assert.Equal(seeded.Category, json.GetProperty("category").GetString());
        Assert.Equal($"/api/catalog/items/{seeded.Id}/image", json.GetProperty("imageUrl").GetString());
    }

    [Fact]
    public async Task AnUnknownItemIsA404ProblemDetails()
    {
        using var response = await Client.GetAsync("/api/catalog/items/999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TheCategoryFilterReturnsOnlyThatCategoryAndItsTotal()
    {
        var page = await Client.GetPageAsync("/api/catalog/items?category=garden&pageSize=100");

        Assert.Equal(Seed.Count(p => p.Category == "garden"), page.Total);
        Assert.Equal(100, page.Items.Count);
        Assert.All(page.Items, item => Assert.Equal("garden", item.Category));
    }

    [Fact]
    public async Task AnUnknownCategoryIsAnEmptyList()
    {
        var page = await Client.GetPageAsync("/api/catalog/items?category=spaceships");

        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
    }

    [Theory]
    [InlineData("copperleaf")]
    [InlineData("SKILLET")]
    [InlineData("plastic-free")]
    [InlineData("Chef's")]
    public async Task SearchMatchesNameBrandOrDescriptionIgnoringCase(string q)
    {
        var expected = Seed.Where(p => new[] { p.Name, p.Brand, p.Description }.Any(s => s.Contains(q, StringComparison.OrdinalIgnoreCase)))
            .Select(p => p.Id).Order().ToArray();

        var ids = new List<int>();
        CatalogPage page;
        var number = 1;
        do
        {
            page = await Client.GetPageAsync($"/api/catalog/items?q={Uri.EscapeDataString(q)}&pageSize=100&page={number++}");
            ids.AddRange(page.Items.Select(i => i.Id));
        }
        while (page.Items.Count == 100);

        Assert.NotEmpty(expected);
        Assert.Equal(expected.Length, page.Total);
        Assert.Equal(expected, ids.Order());
    }

    [Fact]
    public async Task SearchTreatsLikeWildcardsLiterally()
    {
        var page = await Client.GetPageAsync("/api/catalog/items?q=%25_%25");

        Assert.Equal(0, page.Total);
    }

    [Theory]
    [InlineData("price")]
    [InlineData("-price")]
    [InlineData("name")]
    public async Task SortOrdersTheCategoryByTheRequestedKey(string sort)
    {
        var page = await Client.GetPageAsync($"/api/catalog/items?category=kitchen&sort={sort}&pageSize=100");

        var kitchen = Seed.Where(p => p.Category == "kitchen");
        var expected = sort switch
        {
            "price" => kitchen.OrderBy(p => p.PriceCents).ThenBy(p => p.Id),
            "-price" => kitchen.OrderByDescending(p => p.PriceCents).ThenBy(p => p.Id),
            _ => kitchen.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase).ThenBy(p => p.Id),
        };
        Assert.Equal(expected.Take(100).Select(p => p.Id), page.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task PagingWalksACategoryWithoutGapsOrRepeats()
    {
        var ids = new List<int>();
        for (var number = 1; number <= 3; number++)
        {
            var page = await Client.GetPageAsync($"/api/catalog/items?category=books&sort=-price&pageSize=50&page={number}");
            Assert.Equal((number, 50), (page.Page, page.PageSize));
            ids.AddRange(page.Items.Select(i => i.Id));
        }

        Assert.Equal(Seed.Where(p => p.Category == "books").Select(p => p.Id).Order(), ids.Order());
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task APagePastTheEndIsEmptyButKeepsTheTotal()
    {
        var page = await Client.GetPageAsync("/api/catalog/items?page=500&pageSize=100");

        Assert.Empty(page.Items);
        Assert.Equal(Seed.Count, page.Total);
    }

    [Fact]
    public async Task CategoriesListEverySeededCategoryWithItsCount()
    {
        var categories = await Client.GetFromJsonAsync<CategorySummary[]>("/api/catalog/categories", CatalogHttp.Json);

        Assert.Equal(CatalogSeed.Categories.Select(c => c.Slug), categories!.Select(c => c.Slug));
        Assert.All(categories!, c => Assert.Equal(Seed.Count(p => p.Category == c.Slug), c.Count));
        Assert.Contains(categories!, c => c is { Slug: "kitchen", Name: "Kitchen" });
    }

    [Fact]
    public async Task AnImageIsADeterministicSvgTitledWithTheProductName()
    {
        var seeded = Seed[41];
        using var response = await Client.GetAsync($"/api/catalog/items/{seeded.Id}/image");
        var svg = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.MaxAge >= TimeSpan.FromDays(1));
        Assert.StartsWith("<svg", svg);
        Assert.Contains($">{System.Security.SecurityElement.Escape(seeded.Name)}</title>", svg);
        Assert.Equal(Images.ProductImage.Render(seeded.Id, seeded.Name), svg);
        Assert.NotEqual(Images.ProductImage.Render(seeded.Id + 1, seeded.Name), svg);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheCatalogRoutes()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains("/api/catalog/items", paths);
        Assert.Contains("/api/catalog/items/{id}", paths);
        Assert.Contains("/api/catalog/items/{id}/image", paths);
        Assert.Contains("/api/catalog/categories", paths);
        Assert.Contains("/api/catalog/items/{id}/stock/reserve", paths);
        Assert.Contains("/api/catalog/admin/cache/flush", paths);
    }
}
