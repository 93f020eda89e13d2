using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Shop.Browser.Tests;

/// <summary>What a shopper does and sees, in the storefront's own words (labels, roles, data-testid).</summary>
public static partial class Storefront
{
    public static string DisplayNameOf(string user) => user switch
    {
        "alice" => "Alice Liddell",
        "bob" => "Bob Builder",
        "carol" => "Carol Danvers",
        _ => throw new ArgumentOutOfRangeException(nameof(user)),
    };

    /// <summary>Signs in through the form, as a shopper would, and lands on <paramref name="returnUrl"/>.</summary>
    public static async Task SignInAsync(this IPage page, string user, string returnUrl = "/")
    {
        await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await page.SubmitSignInFormAsync(user);
        await Expect(page.GetByTestId("user-name")).ToHaveTextAsync(DisplayNameOf(user));
    }

    public static async Task SubmitSignInFormAsync(this IPage page, string user)
    {
        await page.GetByLabel("User name").FillAsync(user);
        await page.GetByLabel("Password").FillAsync($"{user}-shops-2026");
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens a product page and adds <paramref name="quantity"/> of it; the storefront answers with the cart.</summary>
    public static async Task AddToCartFromProductPageAsync(this IPage page, int productId, int quantity = 1)
    {
        await page.GotoAsync($"/products/{productId}");
        await page.GetByRole(AriaRole.Main).GetByLabel("Quantity").FillAsync(quantity.ToString(CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { NameRegex = AddToCartName() }).ClickAsync();
        await page.WaitForURLAsync(CartUrl());
    }

    public static ILocator CartLine(this IPage page, int productId) =>
        page.Locator($"[data-testid=cart-line][data-product-id='{productId}']");

    public static ILocator CartCount(this IPage page) => page.GetByTestId("cart-count");

    public static ILocator SignInLink(this IPage page) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Account" }).GetByRole(AriaRole.Link, new() { Name = "Sign in" });

    public static async Task<int> ProductIdOfAsync(ILocator element) =>
        int.Parse(await element.GetAttributeAsync("data-product-id") ?? "", CultureInfo.InvariantCulture);

    /// <summary>"$1,234.50" → 1234.50.</summary>
    public static decimal ParsePrice(string text) =>
        decimal.Parse(text.Trim(), NumberStyles.Currency, CultureInfo.GetCultureInfo("en-US"));

    /// <summary>1234.5 → "$1,234.50", as the storefront writes prices.</summary>
    public static string Format(decimal amount) => amount.ToString("C", CultureInfo.GetCultureInfo("en-US"));

    /// <summary>The answering replica, from the footer (the same value as the X-Instance header).</summary>
    public static async Task<string> InstanceAsync(this IPage page) =>
        (await page.GetByTestId("instance").InnerTextAsync()).Trim();

    [GeneratedRegex(@"^Add .+ to cart$")]
    public static partial Regex AddToCartName();

    [GeneratedRegex(@"/cart(\?|$)")]
    public static partial Regex CartUrl();

    [GeneratedRegex(@"^\$\d{1,3}(,\d{3})*\.\d\d$")]
    public static partial Regex Price();
}
