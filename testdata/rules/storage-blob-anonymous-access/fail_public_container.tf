# A container readable without credentials (v4+: storage_account_id).

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_storage_account" "sa" {
  name                     = "stmlwprodweu01"
  resource_group_name      = azurerm_resource_group.ml.name
  location                 = azurerm_resource_group.ml.location
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

resource "azurerm_storage_container" "models" {
  name                  = "models"
  storage_account_id    = azurerm_storage_account.sa.id
  container_access_type = "blob"
}
