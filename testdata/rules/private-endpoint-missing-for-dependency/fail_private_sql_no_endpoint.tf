# A SQL server with public access off and no endpoint: unreachable.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                          = "sql-mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "12.0"
  public_network_access_enabled = false
}
