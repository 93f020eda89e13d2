namespace Shop.Cart.Api.Http;

/// <summary>Field → messages, collected so one 400 reports every problem of a request at once.</summary>
internal sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }
        messages.Add(message);
    }

    /// <summary>The body's value, or null with the reason recorded (the caller answers 415 itself when it is not JSON).</summary>
    public T? Body<T>(JsonBodyResult<T> body) where T : class
    {
        if (body.Field is { } field)
        {
            Add(field, body.Error!);
        }
        return body.Value;
    }

    public CartId ParseCartId(string? value, string field = "cartId")
    {
        if (CartId.TryParse(value, out var cartId))
        {
            return cartId;
        }
        Add(field, "Must be 'a-' followed by 32 lowercase hex digits, or 'u-' followed by a user id ([a-z0-9][a-z0-9._-]{0,62}).");
        return default;
    }

    public int ParseProductId(string? value)
    {
        if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0)
        {
            return id;
        }
        Add("productId", "Must be a positive whole number.");
        return 0;
    }

    public int ParseProductId(int? value) => value is > 0 ? value.Value : Invalid("productId", value is null ? "Required." : "Must be a positive whole number.");

    public int ParseQuantity(int? value, int min)
    {
        if (value is null)
        {
            return Invalid("quantity", "Required.");
        }
        return value >= min && value <= CartLimits.MaxQuantity
            ? value.Value
            : Invalid("quantity", $"Must be between {min} and {CartLimits.MaxQuantity}.");
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    private int Invalid(string field, string message)
    {
        Add(field, message);
        return 0;
    }
}
