using Microsoft.Playwright;

namespace Shop.Browser.Tests;

/// <summary>Saves what the shopper saw (1280×800 viewport) as test output and says where.</summary>
public sealed class Screenshots(ITestOutputHelper output)
{
    public async Task TakeAsync(IPage page, string name)
    {
        Directory.CreateDirectory(StorefrontFixture.ScreenshotDirectory);
        var path = Path.Combine(StorefrontFixture.ScreenshotDirectory, name + ".png");
        await page.ScreenshotAsync(new() { Path = path });
        output.WriteLine($"Screenshot {name}: {path}");
    }
}
