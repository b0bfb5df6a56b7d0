# public_network_access_enabled omitted and no delegated subnet: the server is public, and
# a firewall rule admits every address.
locals {
  name = "orders"
}

resource "azurerm_resource_group" "db" {
  name     = "rg-${local.name}-db"
  location = "westeurope"
}

resource "azurerm_postgresql_flexible_server" "db" {
  name                   = "psql-${local.name}-weu"
  resource_group_name    = azurerm_resource_group.db.name
  location               = azurerm_resource_group.db.location
  version                = "16"
  sku_name               = "GP_Standard_D2ds_v5"
  storage_mb             = 65536
  administrator_login    = "pgadmin"
  administrator_password = var.admin_password
  zone                   = "1"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "everyone" {
  name             = "allow-all"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

variable "admin_password" {
  type      = string
  sensitive = true
}
