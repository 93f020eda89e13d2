using StackExchange.Redis;

namespace Shop.Cart.Api;

public sealed record CartEntry(int ProductId, int Quantity);

/// <summary>What Redis holds for one cart: product ids and quantities, nothing else (prices come from the catalog).</summary>
public sealed record CartContents(IReadOnlyList<CartEntry> Entries)
{
    public static readonly CartContents Empty = new([]);

    public bool IsEmpty => Entries.Count == 0;

    /// <summary>Parses an <c>HGETALL</c> reply (field, value, field, value …), sorted by product id for a stable order.</summary>
    internal static CartContents FromHashReply(RedisResult reply)
    {
        var flat = (RedisValue[])reply!;
        var entries = new List<CartEntry>(flat.Length / 2);
        for (var i = 0; i + 1 < flat.Length; i += 2)
        {
            entries.Add(new CartEntry((int)flat[i], (int)flat[i + 1]));
        }
        entries.Sort((a, b) => a.ProductId.CompareTo(b.ProductId));
        return new CartContents(entries);
    }
}

/// <summary>The outcome of a cart write: <see cref="Accepted"/> is false when the line limit refused it (nothing changed).</summary>
public sealed record CartWrite(bool Accepted, CartContents Contents)
{
    internal static CartWrite FromScriptReply(RedisResult reply)
    {
        var parts = (RedisResult[])reply!;
        return new CartWrite((int)parts[0] != 0, CartContents.FromHashReply(parts[1]));
    }
}
