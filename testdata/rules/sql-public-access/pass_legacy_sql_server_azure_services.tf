# Provider 3.x legacy resources: only the "Allow Azure services" rule (0.0.0.0 to 0.0.0.0).
resource "azurerm_sql_server" "legacy" {
  name                         = "sql-legacy-weu"
  resource_group_name          = "rg-legacy-sql"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "legacyadmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_sql_firewall_rule" "azure" {
  name                = "AllowAzureServices"
  resource_group_name = "rg-legacy-sql"
  server_name         = azurerm_sql_server.legacy.name
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "0.0.0.0"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
