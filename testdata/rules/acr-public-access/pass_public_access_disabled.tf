resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "ml" {
  name                          = "acrmlprivate"
  resource_group_name           = azurerm_resource_group.acr.name
  location                      = azurerm_resource_group.acr.location
  sku                           = "Premium"
  public_network_access_enabled = false
  network_rule_bypass_option    = "AzureServices"
  data_endpoint_enabled         = true
}
