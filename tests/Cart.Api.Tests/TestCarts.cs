namespace Shop.Cart.Api.Tests;

internal static class TestCarts
{
    public static string NewAnonymousId() => "a-" + Guid.NewGuid().ToString("N");

    public static string NewUserId() => "u-user" + Guid.NewGuid().ToString("N")[..12];
}
