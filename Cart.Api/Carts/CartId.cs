using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Shop.Cart.Api;

/// <summary>
/// A validated cart id: <c>a-{32 hex}</c> for an anonymous shopper, <c>u-{user id}</c> for a signed-in one.
/// Parsing up front keeps arbitrary strings out of the Redis keyspace.
/// </summary>
public readonly partial record struct CartId
{
    private CartId(string value) => Value = value;

    public string Value { get; }

    public bool IsAnonymous => Value.StartsWith("a-", StringComparison.Ordinal);

    public static bool TryParse([NotNullWhen(true)] string? value, out CartId cartId)
    {
        cartId = default;
        if (value is null || !Pattern().IsMatch(value))
        {
            return false;
        }
        cartId = new CartId(value);
        return true;
    }

    public override string ToString() => Value;

    // \z, not $: in .NET "$" also matches before a final "\n", which would let "u-alice\n" name a second cart key.
    [GeneratedRegex(@"^(a-[0-9a-f]{32}|u-[a-z0-9][a-z0-9._-]{0,62})\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
