using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Shop.Cart.Api;

/// <summary>
/// Carts in Redis, one hash per cart. Every operation is a single script or command, so concurrent writers
/// from any replica are serialized by Redis itself, and every write (and read) pushes the expiry forward.
/// </summary>
public sealed class CartStore(IConnectionMultiplexer redis, IOptions<CartOptions> options, CartMetrics metrics)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<CartContents> GetAsync(CartId cartId)
    {
        var reply = await Db.ScriptEvaluateAsync(CartScripts.Read, [CartKeys.Cart(cartId)], [TtlMs(cartId)]);
        return CartContents.FromHashReply(reply);
    }

    public Task<CartWrite> AddAsync(CartId cartId, int productId, int quantity) =>
        WriteAsync("add", CartScripts.Add, [CartKeys.Cart(cartId)],
            [productId, quantity, TtlMs(cartId), CartLimits.MaxQuantity, CartLimits.MaxLines]);

    /// <summary>Sets a line's quantity; 0 removes the line.</summary>
    public Task<CartWrite> SetAsync(CartId cartId, int productId, int quantity) =>
        WriteAsync(quantity == 0 ? "remove" : "set", CartScripts.Set, [CartKeys.Cart(cartId)],
            [productId, quantity, TtlMs(cartId), CartLimits.MaxLines]);

    public Task<CartWrite> RemoveAsync(CartId cartId, int productId) => SetAsync(cartId, productId, 0);

    /// <summary>Adds every line of <paramref name="source"/> to <paramref name="target"/> (capped) and deletes the source.</summary>
    public Task<CartWrite> MergeAsync(CartId target, CartId source) =>
        WriteAsync("merge", CartScripts.Merge, [CartKeys.Cart(target), CartKeys.Cart(source)],
            [TtlMs(target), CartLimits.MaxQuantity, CartLimits.MaxLines]);

    public async Task ClearAsync(CartId cartId)
    {
        await Db.KeyDeleteAsync(CartKeys.Cart(cartId));
        metrics.CartWritten("clear");
    }

    private async Task<CartWrite> WriteAsync(string operation, string script, RedisKey[] keys, RedisValue[] args)
    {
        var write = CartWrite.FromScriptReply(await Db.ScriptEvaluateAsync(script, keys, args));
        if (write.Accepted)
        {
            metrics.CartWritten(operation);
        }
        return write;
    }

    private long TtlMs(CartId cartId) => (long)options.Value.TtlFor(cartId).TotalMilliseconds;
}
