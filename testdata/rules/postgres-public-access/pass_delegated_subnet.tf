# VNet-integrated server (delegated subnet): it has no public access, so the leftover
# all-addresses rule from before the migration admits nobody.
resource "azurerm_resource_group" "db" {
  name     = "rg-payments-db"
  location = "westeurope"
}

resource "azurerm_virtual_network" "db" {
  name                = "vnet-payments"
  location            = azurerm_resource_group.db.location
  resource_group_name = azurerm_resource_group.db.name
  address_space       = ["10.60.0.0/16"]
}

resource "azurerm_subnet" "db" {
  name                 = "snet-postgres"
  resource_group_name  = azurerm_resource_group.db.name
  virtual_network_name = azurerm_virtual_network.db.name
  address_prefixes     = ["10.60.2.0/24"]
  service_endpoints    = ["Microsoft.Storage"]

  delegation {
    name = "postgres"
    service_delegation {
      name    = "Microsoft.DBforPostgreSQL/flexibleServers"
      actions = ["Microsoft.Network/virtualNetworks/subnets/join/action"]
    }
  }
}

resource "azurerm_private_dns_zone" "db" {
  name                = "payments.postgres.database.azure.com"
  resource_group_name = azurerm_resource_group.db.name
}

resource "azurerm_postgresql_flexible_server" "db" {
  name                   = "psql-payments-weu"
  resource_group_name    = azurerm_resource_group.db.name
  location               = azurerm_resource_group.db.location
  version                = "16"
  sku_name               = "GP_Standard_D4ds_v5"
  delegated_subnet_id    = azurerm_subnet.db.id
  private_dns_zone_id    = azurerm_private_dns_zone.db.id
  administrator_login    = "payments"
  administrator_password = var.admin_password
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "legacy" {
  name             = "legacy-allow-all"
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

variable "admin_password" {
  type      = string
  sensitive = true
}
