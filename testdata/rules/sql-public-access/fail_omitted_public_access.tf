# public_network_access_enabled omitted (defaults to true) and an all-addresses rule.
data "azurerm_client_config" "current" {}

locals {
  app = "crm"
}

resource "azurerm_resource_group" "sql" {
  name     = "rg-${local.app}-sql"
  location = "westeurope"
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-${local.app}-weu"
  resource_group_name          = azurerm_resource_group.sql.name
  location                     = azurerm_resource_group.sql.location
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
  minimum_tls_version          = "1.2"

  azuread_administrator {
    login_username = "sql-admins"
    object_id      = "00000000-0000-0000-0000-000000000001"
    tenant_id      = data.azurerm_client_config.current.tenant_id
  }
}

resource "azurerm_mssql_firewall_rule" "all" {
  name             = "AllowAll"
  server_id        = azurerm_mssql_server.sql.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}
