resource "azurerm_resource_group" "acr" {
  name     = "rg-ci-images"
  location = "eastus"
}

resource "azurerm_container_registry" "ci" {
  name                          = "acrcontosoci"
  resource_group_name           = azurerm_resource_group.acr.name
  location                      = azurerm_resource_group.acr.location
  sku                           = "Standard"
  public_network_access_enabled = true
  anonymous_pull_enabled        = false
}
