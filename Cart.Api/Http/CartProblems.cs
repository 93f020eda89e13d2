using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.Cart.Api.Http;

/// <summary>The ProblemDetails answers of Cart.Api, worded once.</summary>
internal static class CartProblems
{
    public static ValidationProblem Invalid(ValidationErrors errors) => TypedResults.ValidationProblem(errors.ToDictionary());

    public static ProblemHttpResult NotJson() => (ProblemHttpResult)JsonBody.UnsupportedMediaType();

    public static ProblemHttpResult UnknownProduct(int productId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown product",
        detail: $"The catalog has no product {productId}.",
        extensions: new Dictionary<string, object?> { ["productId"] = productId });

    public static ProblemHttpResult CartFull() => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "Cart is full",
        detail: $"A cart holds at most {CartLimits.MaxLines} different products; nothing was changed.");

    public static ProblemHttpResult OrderNotFound(string orderId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Unknown order", detail: $"There is no order {orderId}.");

    /// <summary>503 with Retry-After, like every outage answer of Cart.Api (<see cref="ServiceUnavailableExceptionHandler"/>).</summary>
    public static ProblemHttpResult ServiceUnavailable(HttpResponse response, string detail)
    {
        response.Headers.RetryAfter = ServiceUnavailableExceptionHandler.RetryAfterSeconds;
        return TypedResults.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable, title: "Service unavailable", detail: detail);
    }
}
