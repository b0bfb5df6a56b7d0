# An accepted old finding: public storage.
resource "azurerm_storage_account" "legacy" {
  name                     = "stlegacy"
  resource_group_name      = "rg-legacy"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}
