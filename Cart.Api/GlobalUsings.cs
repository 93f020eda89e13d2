global using Shop.Cart.Api;
global using Shop.Cart.Api.Extensions;
