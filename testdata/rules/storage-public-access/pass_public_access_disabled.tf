variable "location" {
  type    = string
  default = "westeurope"
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-private"
  location = var.location
}

resource "azurerm_storage_account" "ml" {
  name                          = "stmlprivate01"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = false
  shared_access_key_enabled     = false
}
