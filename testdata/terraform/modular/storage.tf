resource "azurerm_storage_account" "data" {
  count                         = length(var.storage_accounts)
  name                          = var.storage_accounts[count.index].name
  resource_group_name           = azurerm_resource_group.main.name
  location                      = azurerm_resource_group.main.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = var.storage_accounts[count.index].public
}
