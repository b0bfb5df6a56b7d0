# Private server: the firewall rules from the shared defaults do not apply.
variable "firewall_rules" {
  type = map(object({ start = string, end = string }))
  default = {
    anywhere = { start = "0.0.0.0", end = "255.255.255.255" }
  }
}

resource "azurerm_resource_group" "sql" {
  name     = "rg-billing-sql"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                          = "sql-billing-weu"
  resource_group_name           = azurerm_resource_group.sql.name
  location                      = azurerm_resource_group.sql.location
  version                       = "12.0"
  administrator_login           = "billing"
  administrator_login_password  = var.sql_admin_password
  public_network_access_enabled = false
}

resource "azurerm_mssql_firewall_rule" "rules" {
  for_each         = var.firewall_rules
  name             = each.key
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = each.value.start
  end_ip_address   = each.value.end
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
