variable "name" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                          = var.name
  resource_group_name           = "rg-gate"
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true
  shared_access_key_enabled     = false
}
