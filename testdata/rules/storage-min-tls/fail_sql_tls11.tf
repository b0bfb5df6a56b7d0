# A SQL server accepting TLS 1.1.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "12.0"
  minimum_tls_version           = "1.1"
  public_network_access_enabled = false
}
