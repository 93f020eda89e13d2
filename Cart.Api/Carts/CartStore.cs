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

    /// <summary>
    /// Adds every line of <paramref name="source"/> to <paramref name="target"/> (capped) and takes them out of the
    /// source. Two carts are two hash slots on a Redis Cluster, so this is two single-slot scripts: first the target
    /// (all or nothing, and remembered with a fingerprint of the lines, so a retry after a failure in between adds
    /// nothing twice), then the source gives up exactly the lines merged.
    /// </summary>
    public async Task<CartWrite> MergeAsync(CartId target, CartId source)
    {
        var lines = (await Db.HashGetAllAsync(CartKeys.Cart(source)))
            .Select(e => (ProductId: (int)e.Name, Quantity: (int)e.Value))
            .OrderBy(line => line.ProductId)
            .ToArray();
        if (lines.Length == 0)
        {
            return new CartWrite(true, await GetAsync(target));
        }
        RedisValue[] pairs = [.. lines.SelectMany(line => new RedisValue[] { line.ProductId, line.Quantity })];
        var fingerprint = string.Join(',', lines.Select(line => $"{line.ProductId}={line.Quantity}"));
        var write = await WriteAsync("merge", CartScripts.MergeInto, [CartKeys.Cart(target), CartKeys.Merged(target, source)],
            [TtlMs(target), CartLimits.MaxQuantity, CartLimits.MaxLines, (long)options.Value.MergeMarkerTtl.TotalMilliseconds, fingerprint, .. pairs]);
        if (write.Accepted)
        {
            await Db.ScriptEvaluateAsync(CartScripts.TakeOut, [CartKeys.Cart(source)], pairs);
        }
        return write;
    }

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
