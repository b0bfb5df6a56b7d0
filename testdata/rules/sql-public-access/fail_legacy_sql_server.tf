# Provider 3.x legacy resources: the firewall rule names its server by name and group.
resource "azurerm_sql_server" "legacy" {
  name                         = "sql-legacy-weu"
  resource_group_name          = "rg-legacy-sql"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "legacyadmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_sql_firewall_rule" "everyone" {
  name                = "allow-all"
  resource_group_name = "rg-legacy-sql"
  server_name         = azurerm_sql_server.legacy.name
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "255.255.255.255"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
