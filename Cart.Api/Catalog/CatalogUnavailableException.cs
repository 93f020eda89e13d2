namespace Shop.Cart.Api.Catalog;

/// <summary>Catalog.Api could not give an answer (down, timing out, circuit open, or refusing our key): a 503, not a 500.</summary>
public sealed class CatalogUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
