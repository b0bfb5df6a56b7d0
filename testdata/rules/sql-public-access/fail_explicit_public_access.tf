# Public access on explicitly; the "temporary" rule spans nearly all of IPv4.
resource "azurerm_resource_group" "sql" {
  name     = "rg-legacy-sql"
  location = "eastus"
}

resource "azurerm_mssql_server" "legacy" {
  name                          = "sql-legacy-eus"
  resource_group_name           = azurerm_resource_group.sql.name
  location                      = azurerm_resource_group.sql.location
  version                       = "12.0"
  administrator_login           = "legacyadmin"
  administrator_login_password  = var.sql_admin_password
  public_network_access_enabled = true
}

resource "azurerm_mssql_firewall_rule" "temporary" {
  name             = "temp-vendor-access"
  server_id        = azurerm_mssql_server.legacy.id
  start_ip_address = "1.0.0.0"
  end_ip_address   = "254.255.255.255"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
