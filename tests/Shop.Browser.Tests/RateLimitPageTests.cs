using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shop.Browser.Tests;

[Collection(StorefrontCollection.Name)]
public sealed partial class RateLimitPageTests(StorefrontFixture shop, ITestOutputHelper output)
{
    private const int Tabs = 6;
    private const string Url = "/products/21";

    /// <summary>
    /// A fresh anonymous shopper with an address of its own (see <see cref="StorefrontFixture.NewShopperAsync"/>):
    /// its budget is its own, so reaching the limit here leaves every other test's untouched.
    /// </summary>
    [BrowserFact]
    public async Task BrowsingPastTheLimitShowsAFriendlyPageThatSaysWhenToTryAgain()
    {
        await using var context = await shop.NewShopperAsync();

        // Several tabs browsing at once, so even a slow machine outpaces the window.
        var pages = new List<IPage>();
        for (var i = 0; i < Tabs; i++)
        {
            pages.Add(await context.NewPageAsync());
        }
        using var found = new CancellationTokenSource();
        var views = 0;
        var limited = await Task.WhenAll(pages.Select(async page =>
        {
            while (!found.IsCancellationRequested && Interlocked.Increment(ref views) <= StorefrontFixture.BrowsePermitLimit * 3)
            {
                var response = await page.GotoAsync(Url);
                if (response?.Status == 429)
                {
                    await found.CancelAsync();
                    return (Page: page, Response: response);
                }
                Assert.Equal(200, response?.Status);
            }
            return ((IPage Page, IResponse Response)?)null;
        }));
        var (tooMany, rejection) = limited.FirstOrDefault(l => l is not null)
            ?? throw new Xunit.Sdk.XunitException($"No 429 after {views} page views (limit {StorefrontFixture.BrowsePermitLimit}).");

        await Expect(tooMany.GetByTestId("error-page")).ToHaveAttributeAsync("data-status", "429");
        await Expect(tooMany.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        var message = await tooMany.GetByTestId("retry-after").InnerTextAsync();
        var match = TryAgainIn().Match(message);
        Assert.True(match.Success, $"The page should say when to try again: \"{message}\"");
        var seconds = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(seconds, 1, (int)Math.Ceiling(StorefrontFixture.BrowseWindow.TotalSeconds));
        Assert.Equal(match.Groups[1].Value, await rejection.HeaderValueAsync("retry-after"));
        await Expect(tooMany.GetByRole(AriaRole.Link, new() { Name = "Try again" })).ToHaveAttributeAsync("href", Url);
        output.WriteLine($"429 after {views} page views: \"{message.Trim()}\"");
        await new Screenshots(output).TakeAsync(tooMany, "too-many-requests");
    }

    [GeneratedRegex(@"try again in (\d+) seconds?", RegexOptions.IgnoreCase)]
    private static partial Regex TryAgainIn();
}
