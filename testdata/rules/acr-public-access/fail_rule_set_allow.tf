# A network rule set that allows by default leaves the registry open.
resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "ml" {
  name                = "acrmlweu"
  resource_group_name = azurerm_resource_group.acr.name
  location            = azurerm_resource_group.acr.location
  sku                 = "Premium"

  network_rule_set {
    default_action = "Allow"

    ip_rule {
      action   = "Allow"
      ip_range = "203.0.113.0/24"
    }
  }
}
