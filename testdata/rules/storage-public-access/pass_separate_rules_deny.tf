# network_rules set in a separate resource, addressed by the account's id.
resource "azurerm_resource_group" "app" {
  name     = "rg-app-prod"
  location = "westeurope"
}

resource "azurerm_storage_account" "app" {
  name                     = "stappprod02"
  resource_group_name      = azurerm_resource_group.app.name
  location                 = azurerm_resource_group.app.location
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_account_network_rules" "app" {
  storage_account_id = azurerm_storage_account.app.id
  default_action     = "Deny"
  bypass             = ["AzureServices"]
  ip_rules           = ["203.0.113.0/28"]
}
