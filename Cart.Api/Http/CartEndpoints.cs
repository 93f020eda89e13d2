using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Cart.Api.Catalog;

namespace Shop.Cart.Api.Http;

/// <summary>
/// The cart handlers. Each validates everything first and writes nothing when a request is rejected; the
/// catalog is asked about a product before it is written, so a cart never holds an id the catalog does not know.
/// </summary>
internal static class CartEndpoints
{
    public static async Task<Results<Ok<CartView>, ValidationProblem>> GetCart(
        string cartId, CartStore carts, CartViewBuilder views, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        return TypedResults.Ok(await views.BuildAsync(id, await carts.GetAsync(id), cancellationToken));
    }

    /// <summary>
    /// The item count alone: the cart's one read script, without the catalog lookups a full view needs for names and
    /// prices. (The storefront's badge reads the count from the cart's hash itself, see ShopCarts.)
    /// </summary>
    public static async Task<Results<Ok<CartCount>, ValidationProblem>> CountItems(string cartId, CartStore carts)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        var contents = await carts.GetAsync(id);
        return TypedResults.Ok(new CartCount(id.Value, contents.Entries.Sum(e => e.Quantity)));
    }

    public static async Task<Results<Ok<CartView>, ValidationProblem, ProblemHttpResult>> AddItem(
        string cartId, HttpRequest request, CartStore carts, CartViewBuilder views, CatalogGateway catalog,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        var read = await JsonBody.ReadAsync(request, CartJsonContext.Default.AddItemRequest, cancellationToken);
        if (read.UnsupportedMediaType)
        {
            return CartProblems.NotJson();
        }
        var body = errors.Body(read);
        var productId = body is null ? 0 : errors.ParseProductId(body.ProductId);
        var quantity = body is null ? 0 : errors.ParseQuantity(body.Quantity, min: 1);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        if (await catalog.FindItemAsync(productId, cancellationToken) is null)
        {
            return CartProblems.UnknownProduct(productId);
        }

        var write = await carts.AddAsync(id, productId, quantity);
        return write.Accepted
            ? TypedResults.Ok(await views.BuildAsync(id, write.Contents, cancellationToken))
            : CartProblems.CartFull();
    }

    public static async Task<Results<Ok<CartView>, ValidationProblem, ProblemHttpResult>> SetQuantity(
        string cartId, string productId, HttpRequest request, CartStore carts, CartViewBuilder views,
        CatalogGateway catalog, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        var product = errors.ParseProductId(productId);
        var read = await JsonBody.ReadAsync(request, CartJsonContext.Default.SetQuantityRequest, cancellationToken);
        if (read.UnsupportedMediaType)
        {
            return CartProblems.NotJson();
        }
        var body = errors.Body(read);
        var quantity = body is null ? 0 : errors.ParseQuantity(body.Quantity, min: 0);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        if (quantity > 0 && await catalog.FindItemAsync(product, cancellationToken) is null)
        {
            return CartProblems.UnknownProduct(product);
        }

        var write = await carts.SetAsync(id, product, quantity);
        return write.Accepted
            ? TypedResults.Ok(await views.BuildAsync(id, write.Contents, cancellationToken))
            : CartProblems.CartFull();
    }

    public static async Task<Results<Ok<CartView>, ValidationProblem>> RemoveItem(
        string cartId, string productId, CartStore carts, CartViewBuilder views, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        var product = errors.ParseProductId(productId);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        var write = await carts.RemoveAsync(id, product);
        return TypedResults.Ok(await views.BuildAsync(id, write.Contents, cancellationToken));
    }

    public static async Task<Results<NoContent, ValidationProblem>> ClearCart(string cartId, CartStore carts)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        await carts.ClearAsync(id);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<CartView>, ValidationProblem, ProblemHttpResult>> Merge(
        string cartId, HttpRequest request, CartStore carts, CartViewBuilder views, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var target = errors.ParseCartId(cartId);
        var read = await JsonBody.ReadAsync(request, CartJsonContext.Default.MergeCartRequest, cancellationToken);
        if (read.UnsupportedMediaType)
        {
            return CartProblems.NotJson();
        }
        var body = errors.Body(read);
        var source = body is null ? default : errors.ParseCartId(body.FromCartId, "fromCartId");
        if (!errors.Any && source == target)
        {
            errors.Add("fromCartId", "Must differ from the cart merged into.");
        }
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }
        // Merging takes every line out of the source cart: the token must name that cart too, or anyone holding a
        // token for their own cart could empty a stranger's into it.
        if (!string.Equals(request.HttpContext.User.TokenMergeFrom(), source.Value, StringComparison.Ordinal))
        {
            return CartOwnership.Forbidden();
        }

        var write = await carts.MergeAsync(target, source);
        return write.Accepted
            ? TypedResults.Ok(await views.BuildAsync(target, write.Contents, cancellationToken))
            : CartProblems.CartFull();
    }
}
