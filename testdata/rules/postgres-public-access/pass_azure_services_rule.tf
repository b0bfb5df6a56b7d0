# 0.0.0.0-0.0.0.0 is the "allow Azure services" rule, not all addresses.
resource "azurerm_resource_group" "db" {
  name     = "rg-reports-db"
  location = "westeurope"
}

resource "azurerm_postgresql_flexible_server" "db" {
  name                   = "psql-reports-weu"
  resource_group_name    = azurerm_resource_group.db.name
  location               = azurerm_resource_group.db.location
  version                = "16"
  sku_name               = "GP_Standard_D2ds_v5"
  administrator_login    = "reports"
  administrator_password = var.admin_password
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "azure_services" {
  name             = "AllowAllAzureServicesAndResourcesWithinAzureIps"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "0.0.0.0"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "office" {
  name             = "office"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "198.51.100.0"
  end_ip_address   = "198.51.100.255"
}

variable "admin_password" {
  type      = string
  sensitive = true
}
