# Public access on (default) with only narrow rules: not open to all addresses.
resource "azurerm_resource_group" "sql" {
  name     = "rg-hr-sql"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-hr-weu"
  resource_group_name          = azurerm_resource_group.sql.name
  location                     = azurerm_resource_group.sql.location
  version                      = "12.0"
  administrator_login          = "hradmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_mssql_firewall_rule" "office" {
  name             = "office"
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = "203.0.113.1"
  end_ip_address   = "203.0.113.254"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
