namespace Shop.Cart.Api;

/// <summary>
/// Entry-point marker for <c>WebApplicationFactory</c>: a test project that references several web projects
/// cannot tell their <c>Program</c> classes apart.
/// </summary>
public sealed class CartApiAssembly;
