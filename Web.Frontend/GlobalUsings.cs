global using Shop.Web.Frontend.Extensions;
