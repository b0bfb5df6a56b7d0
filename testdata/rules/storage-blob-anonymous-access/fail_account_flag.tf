# The account allows anonymous blob access.

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
  allow_nested_items_to_be_public = true
}
