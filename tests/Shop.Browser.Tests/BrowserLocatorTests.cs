using System.Runtime.InteropServices;

namespace Shop.Browser.Tests;

/// <summary>The order <see cref="BrowserLocator"/> looks in, on a pretend machine: no browser or app is started.</summary>
public sealed class BrowserLocatorTests
{
    private const string Home = "/home/shopper";
    private const string Cache = "/home/shopper/.cache/ms-playwright";

    private static BrowserLocator Machine(
        IEnumerable<string> files, IReadOnlyDictionary<string, string>? environment = null, OSPlatform? platform = null)
    {
        var existing = files.ToHashSet(StringComparer.Ordinal);
        return new BrowserLocator(
            name => environment?.GetValueOrDefault(name),
            existing.Contains,
            // The directories directly under `directory` that hold any of the files.
            directory => existing
                .Where(file => file.StartsWith(directory + "/", StringComparison.Ordinal))
                .Select(file => directory + "/" + file[(directory.Length + 1)..].Split('/')[0])
                .Distinct(),
            platform ?? OSPlatform.Linux,
            Home);
    }

    [Fact]
    public void ShopBrowserWinsOverPlaywrightsAndTheSystemsBrowsers()
    {
        var locator = Machine(
            ["/opt/my/chrome", $"{Cache}/chromium-1200/chrome-linux64/chrome", "/usr/bin/chromium"],
            new Dictionary<string, string> { ["SHOP_BROWSER"] = "/opt/my/chrome" });

        Assert.Equal("/opt/my/chrome", locator.Find());
    }

    [Fact]
    public void AShopBrowserThatIsNotAFileIsReportedAndNotReplacedByAnotherBrowser()
    {
        var locator = Machine(
            [$"{Cache}/chromium-1200/chrome-linux64/chrome", "/usr/bin/chromium"],
            new Dictionary<string, string> { ["SHOP_BROWSER"] = "/nowhere/chrome" });

        Assert.Null(locator.Find());
        Assert.Equal(["/nowhere/chrome"], locator.Candidates());
        Assert.Equal(
            "No Chromium found: install chromium (Debian: apt-get install chromium), or run Playwright's install script, " +
            "or set SHOP_BROWSER. (SHOP_BROWSER is set to '/nowhere/chrome', which is not a file.)",
            locator.NotFoundMessage);
    }

    [Fact]
    public void PlaywrightsNewestChromiumWinsOverTheSystemsAndHeadlessShellsAreNotChromium()
    {
        var locator = Machine(
        [
            $"{Cache}/chromium-999/chrome-linux/chrome",
            $"{Cache}/chromium-1200/chrome-linux64/chrome",
            $"{Cache}/chromium_headless_shell-1300/chrome-linux/headless_shell",
            $"{Cache}/ffmpeg-1011/ffmpeg-linux",
            "/usr/bin/chromium",
        ]);

        Assert.Equal($"{Cache}/chromium-1200/chrome-linux64/chrome", locator.Find());
        Assert.Equal(
        [
            $"{Cache}/chromium-1200/chrome-linux64/chrome",
            $"{Cache}/chromium-1200/chrome-linux/chrome",
            $"{Cache}/chromium-999/chrome-linux64/chrome",
            $"{Cache}/chromium-999/chrome-linux/chrome",
            "/usr/bin/chromium",
            "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome",
            "/usr/bin/google-chrome-stable",
        ], locator.Candidates());
    }

    [Fact]
    public void PlaywrightBrowsersPathReplacesTheDefaultCacheAndXdgCacheHomeMovesIt()
    {
        var files = new[]
        {
            $"{Cache}/chromium-1200/chrome-linux64/chrome",
            "/srv/browsers/chromium-1100/chrome-linux64/chrome",
            "/var/cache/me/ms-playwright/chromium-1000/chrome-linux64/chrome",
        };

        Assert.Equal("/srv/browsers/chromium-1100/chrome-linux64/chrome",
            Machine(files, new Dictionary<string, string> { ["PLAYWRIGHT_BROWSERS_PATH"] = "/srv/browsers" }).Find());
        Assert.Equal("/var/cache/me/ms-playwright/chromium-1000/chrome-linux64/chrome",
            Machine(files, new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "/var/cache/me" }).Find());
        Assert.Equal($"{Cache}/chromium-1200/chrome-linux64/chrome", Machine(files).Find());
    }

    [Fact]
    public void TheSystemsBrowsersAreTriedInOrder()
    {
        Assert.Equal("/usr/bin/chromium-browser",
            Machine(["/usr/bin/google-chrome-stable", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]).Find());
        Assert.Equal("/usr/bin/google-chrome", Machine(["/usr/bin/google-chrome-stable", "/usr/bin/google-chrome"]).Find());
        Assert.Equal("/usr/bin/google-chrome-stable", Machine(["/usr/bin/google-chrome-stable"]).Find());
    }

    [Fact]
    public void OnMacOsPlaywrightsCacheIsUnderLibraryCachesAndThenTheAppBundles()
    {
        const string macCache = $"{Home}/Library/Caches/ms-playwright";
        var chromeForTesting = $"{macCache}/chromium-1200/chrome-mac-arm64/Google Chrome for Testing.app/Contents/MacOS/Google Chrome for Testing";
        const string chromeApp = "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome";

        Assert.Equal(chromeForTesting, Machine([chromeApp, chromeForTesting], platform: OSPlatform.OSX).Find());
        Assert.Equal(chromeApp, Machine([chromeApp, "/usr/bin/chromium"], platform: OSPlatform.OSX).Find());
    }

    [Fact]
    public void NothingFoundSaysHowToGetABrowser()
    {
        var locator = Machine(["/usr/bin/firefox", $"{Cache}/firefox-1400/firefox/firefox"]);

        Assert.Null(locator.Find());
        Assert.Equal(
            "No Chromium found: install chromium (Debian: apt-get install chromium), or run Playwright's install script, " +
            "or set SHOP_BROWSER.",
            locator.NotFoundMessage);
    }
}
