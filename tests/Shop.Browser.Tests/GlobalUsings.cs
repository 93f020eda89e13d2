global using Aspire.Hosting;
global using Aspire.Hosting.ApplicationModel;
global using Aspire.Hosting.Testing;
global using static Microsoft.Playwright.Assertions;
global using Shop.Testing;
