using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Cart.Api.Http;

internal static class CheckoutEndpoints
{
    public static async Task<Results<Created<Order>, Ok<Order>, ValidationProblem, ProblemHttpResult>> Checkout(
        string cartId, HttpRequest request, CheckoutService checkout, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var id = errors.ParseCartId(cartId);
        string? idempotencyKey = null;
        if (request.Headers.TryGetValue(IdempotencyClaims.HeaderName, out var values))
        {
            if (values.Count == 1 && IdempotencyClaims.IsValidKey(values[0]!))
            {
                idempotencyKey = values[0];
            }
            else
            {
                errors.Add(IdempotencyClaims.HeaderName,
                    $"Must be one value of 1–{IdempotencyClaims.MaxKeyLength} printable ASCII characters.");
            }
        }
        if (errors.Any)
        {
            return CartProblems.Invalid(errors);
        }

        var outcome = await checkout.CheckoutAsync(id, idempotencyKey, cancellationToken);
        return outcome.Status switch
        {
            CheckoutStatus.Placed => TypedResults.Created($"/api/orders/{outcome.Order!.OrderId}", outcome.Order),
            CheckoutStatus.Replayed => TypedResults.Ok(outcome.Order!),
            CheckoutStatus.EmptyCart => Problem(StatusCodes.Status400BadRequest, "The cart is empty",
                "There is nothing to check out."),
            CheckoutStatus.InsufficientStock => Problem(StatusCodes.Status409Conflict, "Insufficient stock",
                $"Not enough stock for product {outcome.ProductId}; nothing was reserved and the cart is unchanged.", outcome.ProductId),
            CheckoutStatus.ProductUnavailable => Problem(StatusCodes.Status409Conflict, "Product unavailable",
                $"Product {outcome.ProductId} is no longer in the catalog; remove it and try again.", outcome.ProductId),
            CheckoutStatus.CartChanged => Problem(StatusCodes.Status409Conflict, "Cart changed during checkout",
                "The cart changed while the order was being placed; nothing was ordered. Review the cart and try again."),
            CheckoutStatus.StillInProgress => Problem(StatusCodes.Status409Conflict, "Checkout in progress",
                "A checkout with this Idempotency-Key is still running; retry with the same key to get its order."),
            _ => CartProblems.ServiceUnavailable(request.HttpContext.Response,
                "The catalog is unavailable, so no stock was reserved and the cart is unchanged. Please try again shortly."),
        };
    }

    /// <summary>An order, for the cart that placed it only: anyone else gets the same 404 as for no order at all.</summary>
    public static async Task<Results<Ok<Order>, ValidationProblem, ProblemHttpResult>> GetOrder(
        string orderId, OrderStore orders, System.Security.Claims.ClaimsPrincipal user)
    {
        if (!OrderStore.IsValidOrderId(orderId))
        {
            var errors = new ValidationErrors();
            errors.Add("orderId", "Must be 32 lowercase hex digits.");
            return CartProblems.Invalid(errors);
        }
        // The order is looked up under the cart the token names, so another cart's order is simply not found.
        return CartId.TryParse(user.TokenCart(), out var cartId)
            && await orders.GetAsync(cartId, orderId) is { } order && user.MayTouch(order.CartId)
            ? TypedResults.Ok(order)
            : CartProblems.OrderNotFound(orderId);
    }

    private static ProblemHttpResult Problem(int status, string title, string detail, int? productId = null) =>
        TypedResults.Problem(statusCode: status, title: title, detail: detail,
            extensions: productId is null ? null : new Dictionary<string, object?> { ["productId"] = productId });
}
