using System.Runtime.InteropServices;

namespace Shop.Browser.Tests;

/// <summary>
/// Finds a Chromium (or Chrome) executable for Playwright to drive, in this order:
/// <list type="number">
/// <item><c>SHOP_BROWSER</c>, a path to the executable. When it is set it is the only candidate: a wrong path is
/// reported, never quietly replaced by another browser.</item>
/// <item>Playwright's own browsers (its install script): <c>$PLAYWRIGHT_BROWSERS_PATH</c>, else the ms-playwright
/// cache (<c>~/.cache</c> or <c>$XDG_CACHE_HOME</c> on Linux, <c>~/Library/Caches</c> on macOS,
/// <c>%LOCALAPPDATA%</c> on Windows), newest <c>chromium-&lt;revision&gt;</c> first.</item>
/// <item>The usual system installs (Debian's <c>chromium</c>, Google Chrome, the macOS app bundles).</item>
/// </list>
/// Its inputs are injected, so the order is unit-tested without touching the machine.
/// </summary>
public sealed class BrowserLocator(
    Func<string, string?> environment,
    Func<string, bool> fileExists,
    Func<string, IEnumerable<string>> subdirectories,
    OSPlatform platform,
    string home)
{
    public const string PathVariable = "SHOP_BROWSER";

    public const string HowTo =
        "No Chromium found: install chromium (Debian: apt-get install chromium), or run Playwright's install script, or set SHOP_BROWSER.";

    private static readonly string[] LinuxSystemPaths =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"];

    private static readonly string[] MacSystemPaths =
    [
        "/Applications/Chromium.app/Contents/MacOS/Chromium",
        "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ];

    /// <summary>Where the executable sits inside one <c>chromium-&lt;revision&gt;</c> directory, newest layout first.</summary>
    private static string[][] PlaywrightLayouts(OSPlatform platform) =>
        platform == OSPlatform.Windows ? [["chrome-win64", "chrome.exe"], ["chrome-win", "chrome.exe"]]
        : platform == OSPlatform.OSX ?
        [
            ["chrome-mac-arm64", "Google Chrome for Testing.app", "Contents", "MacOS", "Google Chrome for Testing"],
            ["chrome-mac-x64", "Google Chrome for Testing.app", "Contents", "MacOS", "Google Chrome for Testing"],
            ["chrome-mac", "Chromium.app", "Contents", "MacOS", "Chromium"],
        ]
        : [["chrome-linux64", "chrome"], ["chrome-linux", "chrome"]];

    /// <summary>This machine: its environment, file system, OS and home directory.</summary>
    public static BrowserLocator ForThisMachine() => new(
        Environment.GetEnvironmentVariable,
        File.Exists,
        directory => Directory.Exists(directory) ? Directory.EnumerateDirectories(directory) : [],
        RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? OSPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? OSPlatform.OSX
            : OSPlatform.Linux,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>Every path looked at, in order.</summary>
    public IEnumerable<string> Candidates()
    {
        if (Setting(PathVariable) is { } explicitPath)
        {
            yield return explicitPath;
            yield break;
        }
        if (PlaywrightCache() is { } cache)
        {
            var revisions = subdirectories(cache)
                .Select(directory => (Directory: directory, Revision: Revision(Path.GetFileName(directory))))
                .Where(d => d.Revision is not null)
                .OrderByDescending(d => d.Revision);
            foreach (var (directory, _) in revisions)
            {
                foreach (var layout in PlaywrightLayouts(platform))
                {
                    yield return Path.Combine([directory, .. layout]);
                }
            }
        }
        foreach (var path in platform == OSPlatform.OSX ? MacSystemPaths : platform == OSPlatform.Linux ? LinuxSystemPaths : [])
        {
            yield return path;
        }
    }

    /// <summary>The first candidate that exists, or null.</summary>
    public string? Find() => Candidates().FirstOrDefault(fileExists);

    /// <summary>What to tell someone whose machine has none.</summary>
    public string NotFoundMessage => Setting(PathVariable) is { } explicitPath
        ? $"{HowTo} ({PathVariable} is set to '{explicitPath}', which is not a file.)"
        : HowTo;

    private string? PlaywrightCache()
    {
        if (Setting("PLAYWRIGHT_BROWSERS_PATH") is { } configured)
        {
            return configured;
        }
        if (platform == OSPlatform.Windows)
        {
            return Setting("LOCALAPPDATA") is { } localAppData ? Path.Combine(localAppData, "ms-playwright") : null;
        }
        if (platform == OSPlatform.OSX)
        {
            return Path.Combine(home, "Library", "Caches", "ms-playwright");
        }
        return Path.Combine(Setting("XDG_CACHE_HOME") ?? Path.Combine(home, ".cache"), "ms-playwright");
    }

    private string? Setting(string name) => environment(name) is { Length: > 0 } value ? value : null;

    /// <summary>The revision of a <c>chromium-1234</c> directory; null for anything else (headless shell, ffmpeg, other browsers).</summary>
    private static int? Revision(string name) =>
        name.StartsWith("chromium-", StringComparison.Ordinal) && int.TryParse(name["chromium-".Length..], out var revision)
            ? revision
            : null;
}
