# The staging environment: its own subscription, the same resource names as the others.
provider "azurerm" {
  features {}
  subscription_id = "7e2d9c41-3b5a-4f08-9c6e-1a2b3c4d5e6f"
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
  public_network_access_enabled = false
}
