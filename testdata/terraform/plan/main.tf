resource "azurerm_storage_account" "data" {
  count                         = 2
  name                          = "stplan${count.index}"
  resource_group_name           = "rg-plan"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = count.index == 1
}

module "endpoint" {
  source    = "./modules/pe"
  name      = "pe-plan-blob"
  target_id = azurerm_storage_account.data[0].id
}
