# With public network access disabled, firewall rules do not apply.

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

  azuread_administrator {
    login_username              = "sql-admins"
    object_id                   = "0e6b3c9a-4d12-47f8-a5e0-8b2c1f7d9e64"
    azuread_authentication_only = true
  }
}

resource "azurerm_mssql_firewall_rule" "azure" {
  name             = "AllowAllWindowsAzureIps"
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}
