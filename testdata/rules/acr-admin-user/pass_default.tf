# admin_enabled omitted: the provider default is false.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_container_registry" "acr" {
  name                          = "crmlwprodweu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  sku                           = "Premium"
  public_network_access_enabled = false
}
