# 0.0.0.0-0.0.0.0 is "Allow Azure services and resources to access this server".
resource "azurerm_resource_group" "sql" {
  name     = "rg-crm-sql"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-crm-weu"
  resource_group_name          = azurerm_resource_group.sql.name
  location                     = azurerm_resource_group.sql.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_mssql_firewall_rule" "azure" {
  name             = "AllowAllWindowsAzureIps"
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office-vpn"
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = "198.51.100.10"
  end_ip_address   = "198.51.100.20"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
