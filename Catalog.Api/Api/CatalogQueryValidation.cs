using System.Globalization;
using System.Text.RegularExpressions;
using Shop.Catalog.Api.Data;

namespace Shop.Catalog.Api.Api;

/// <summary>
/// Turns raw client input into validated requests, or into a field → messages map for a 400
/// ValidationProblem. Nothing reaches the database or the cache before it passes here.
/// </summary>
public static partial class CatalogQueryValidation
{
    public const int DefaultPageSize = 12;
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 200;
    public const int MaxPage = 100_000;
    public const int MaxNameLength = 200;
    public const int MaxDescriptionLength = 2_000;
    public const decimal MaxPrice = 1_000_000m;
    public const int MaxStock = 1_000_000;
    public const int MaxStockChange = 10_000;

    public static readonly IReadOnlyDictionary<string, CatalogSort> Sorts = new Dictionary<string, CatalogSort>
    {
        ["name"] = CatalogSort.Name,
        ["price"] = CatalogSort.PriceAscending,
        ["-price"] = CatalogSort.PriceDescending,
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,49}$")]
    private static partial Regex SlugPattern();

    public static bool TryValidate(CatalogItemsQuery query, out CatalogListRequest request, out Dictionary<string, string[]> errors)
    {
        errors = [];
        request = null!;

        var page = ParseInt(query.Page, "page", 1, 1, MaxPage, errors);
        var pageSize = ParseInt(query.PageSize, "pageSize", DefaultPageSize, 1, MaxPageSize, errors);

        var sort = CatalogSort.Name;
        if (!string.IsNullOrEmpty(query.Sort) && !Sorts.TryGetValue(query.Sort, out sort))
        {
            errors["sort"] = [$"Unknown sort '{Truncate(query.Sort)}'. Use one of: {string.Join(", ", Sorts.Keys)}."];
        }

        var category = string.IsNullOrEmpty(query.Category) ? null : query.Category;
        if (category is not null && !SlugPattern().IsMatch(category))
        {
            errors["category"] = ["A category is a slug: lowercase letters, digits and '-', at most 50 characters."];
        }

        var search = string.IsNullOrWhiteSpace(query.Q) ? null : query.Q.Trim();
        if (query.Q is { Length: > MaxSearchLength })
        {
            errors["q"] = [$"The search text is at most {MaxSearchLength} characters."];
        }

        if (errors.Count > 0)
        {
            return false;
        }

        request = new CatalogListRequest(category, search, sort, page, pageSize);
        return true;
    }

    public static bool TryParseId(string raw, out int id, out Dictionary<string, string[]> errors)
    {
        errors = [];
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0)
        {
            return true;
        }
        errors["id"] = ["The id is a positive whole number."];
        return false;
    }

    public static Dictionary<string, string[]> Validate(UpdateCatalogItemRequest update)
    {
        var errors = new Dictionary<string, string[]>();
        if (update is { Name: null, Description: null, Price: null, Stock: null })
        {
            errors["body"] = ["Give at least one of name, description, price, stock."];
        }
        if (update.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Trim().Length > MaxNameLength))
        {
            errors["name"] = [$"The name is 1 to {MaxNameLength} characters."];
        }
        if (update.Description is { } description && (string.IsNullOrWhiteSpace(description) || description.Trim().Length > MaxDescriptionLength))
        {
            errors["description"] = [$"The description is 1 to {MaxDescriptionLength} characters."];
        }
        if (update.Price is { } price && (price < 0 || price > MaxPrice || decimal.Round(price, 2) != price))
        {
            errors["price"] = [$"The price is between 0 and {MaxPrice} with at most two decimals."];
        }
        if (update.Stock is { } stock && (stock < 0 || stock > MaxStock))
        {
            errors["stock"] = [$"The stock is between 0 and {MaxStock}."];
        }
        return errors;
    }

    public static Dictionary<string, string[]> Validate(StockChangeRequest change)
    {
        var errors = new Dictionary<string, string[]>();
        if (change.Quantity is not { } quantity || quantity < 1 || quantity > MaxStockChange)
        {
            errors["quantity"] = [$"The quantity is a whole number from 1 to {MaxStockChange}."];
        }
        if (!IsReservationId(change.ReservationId))
        {
            errors["reservationId"] = [ReservationIdRule];
        }
        return errors;
    }

    public const string ReservationIdRule = "The reservation id is 32 lowercase hex digits.";

    /// <summary>32 lowercase hex digits, like the order ids Cart.Api uses for it: a fixed shape keeps junk out of the table.</summary>
    public static bool IsReservationId(string? reservationId) =>
        reservationId is not null && ReservationIdPattern().IsMatch(reservationId);

    // \z, not $: "$" also matches before a final "\n".
    [GeneratedRegex(@"^[0-9a-f]{32}\z", RegexOptions.CultureInvariant)]
    private static partial Regex ReservationIdPattern();

    private static int ParseInt(string? raw, string field, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }
        if (int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }
        errors[field] = [$"The {field} is a whole number from {min} to {max}."];
        return fallback;
    }

    private static string Truncate(string value) => value.Length <= 20 ? value : value[..20] + "…";
}
