# The network rules live in a separate resource, and allow everything.
resource "azurerm_resource_group" "app" {
  name     = "rg-app-prod"
  location = "westeurope"
}

resource "azurerm_storage_account" "app" {
  name                     = "stappprod01"
  resource_group_name      = azurerm_resource_group.app.name
  location                 = azurerm_resource_group.app.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_account_network_rules" "app" {
  storage_account_id = azurerm_storage_account.app.id
  default_action     = "Allow"
  bypass             = ["AzureServices", "Logging"]
}
