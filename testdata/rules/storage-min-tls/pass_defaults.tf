# azurerm defaults min_tls_version to TLS1_2 (and minimum_tls_version to 1.2 on SQL).

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

resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "12.0"
  public_network_access_enabled = false
}
