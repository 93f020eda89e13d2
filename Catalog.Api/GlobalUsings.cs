global using Shop.Catalog.Api;
global using Shop.Catalog.Api.Extensions;
