using System.Runtime.CompilerServices;

namespace Shop.Browser.Tests;

/// <summary>
/// A test that drives the browser. Skipped, with how to get one, when this machine has no Chromium
/// (<see cref="BrowserLocator"/>); on CI (<c>CI=true</c>) it runs regardless, so a missing browser fails the run
/// (<see cref="StorefrontFixture"/> says why) instead of passing it with nothing tested.
/// </summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute([CallerFilePath] string? sourceFilePath = null, [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber)
    {
        Skip = LocalBrowser.NotFoundMessage;
        SkipType = typeof(LocalBrowser);
        SkipUnless = nameof(LocalBrowser.TestsRun);
    }
}

/// <summary>The Chromium on this machine, looked for once per test run.</summary>
public static class LocalBrowser
{
    private static readonly BrowserLocator Locator = BrowserLocator.ForThisMachine();

    /// <summary>The executable Playwright launches, or null when there is none.</summary>
    public static string? ExecutablePath { get; } = Locator.Find();

    public static string NotFoundMessage => Locator.NotFoundMessage;

    /// <summary>CI must test the browser, so there a missing one is a failure, never a skip.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the browser tests run: there is a browser, or this is CI.</summary>
    public static bool TestsRun => ExecutablePath is not null || IsCi;
}
