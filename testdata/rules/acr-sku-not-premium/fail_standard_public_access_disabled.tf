resource "azurerm_resource_group" "acr" {
  name     = "rg-images"
  location = "westeurope"
}

resource "azurerm_container_registry" "images" {
  name                          = "acrimagesweu"
  resource_group_name           = azurerm_resource_group.acr.name
  location                      = azurerm_resource_group.acr.location
  sku                           = "Standard"
  public_network_access_enabled = false
  admin_enabled                 = false
}
