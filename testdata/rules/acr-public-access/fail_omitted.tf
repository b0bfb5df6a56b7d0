# Premium registry with neither public_network_access_enabled nor a network rule set.
locals {
  name = replace("acr-ml-prod", "-", "")
}

resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "ml" {
  name                = local.name
  resource_group_name = azurerm_resource_group.acr.name
  location            = azurerm_resource_group.acr.location
  sku                 = "Premium"
  admin_enabled       = false

  georeplications {
    location                = "northeurope"
    zone_redundancy_enabled = true
  }
}
