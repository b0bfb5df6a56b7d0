# A Basic registry cannot have network rules: the Deny default action protects nothing and
# the registry stays reachable from every network.
resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "basic" {
  name                = "acrmlbasic"
  resource_group_name = azurerm_resource_group.acr.name
  location            = azurerm_resource_group.acr.location
  sku                 = "Basic"

  network_rule_set {
    default_action = "Deny"
  }
}
