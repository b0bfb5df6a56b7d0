resource "azurerm_postgresql_flexible_server" "db" {
  name                = "psql-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  version             = "16"
  sku_name            = "GP_Standard_D2s_v3"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "azure" {
  name             = "AllowAllAzureServicesAndResourcesWithinAzureIps"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_mysql_flexible_server" "db" {
  name                = "mysql-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  sku_name            = "GP_Standard_D2ds_v4"
}

resource "azurerm_mysql_flexible_server_firewall_rule" "office" {
  name                = "office"
  resource_group_name = "rg-mlw-prod-weu"
  server_name         = azurerm_mysql_flexible_server.db.name
  start_ip_address    = "203.0.113.0"
  end_ip_address      = "203.0.113.255"
}

resource "azurerm_mssql_server" "sql" {
  name                = "sql-mlw-prod"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  version             = "12.0"
}
