# The production environment: its own subscription, the same resource names as the others.
provider "azurerm" {
  features {}
  subscription_id = "4c1f0a3e-9d2b-4e6f-8a71-5b3c2d1e0f90"
}

resource "azurerm_resource_group" "app" {
  name     = "rg-app"
  location = "westeurope"
}

resource "azurerm_storage_account" "data" {
  name                          = "stappdata"
  resource_group_name           = azurerm_resource_group.app.name
  location                      = azurerm_resource_group.app.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = true
}
