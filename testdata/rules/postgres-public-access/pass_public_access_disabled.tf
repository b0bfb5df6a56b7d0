# The firewall rules come from a shared list, but this server has public access disabled
# and is reached through a private endpoint.
variable "firewall_rules" {
  type = list(object({ name = string, start = string, end = string }))
  default = [
    { name = "anywhere", start = "0.0.0.0", end = "255.255.255.255" },
  ]
}

resource "azurerm_resource_group" "db" {
  name     = "rg-catalog-db"
  location = "westeurope"
}

resource "azurerm_postgresql_flexible_server" "db" {
  name                          = "psql-catalog-weu"
  resource_group_name           = azurerm_resource_group.db.name
  location                      = azurerm_resource_group.db.location
  version                       = "16"
  sku_name                      = "GP_Standard_D2ds_v5"
  public_network_access_enabled = false
  administrator_login           = "catalog"
  administrator_password        = var.admin_password
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "rules" {
  count            = length(var.firewall_rules)
  name             = var.firewall_rules[count.index].name
  server_id        = azurerm_postgresql_flexible_server.db.id
  start_ip_address = var.firewall_rules[count.index].start
  end_ip_address   = var.firewall_rules[count.index].end
}

resource "azurerm_private_endpoint" "db" {
  name                = "pe-psql-catalog-weu"
  location            = azurerm_resource_group.db.location
  resource_group_name = azurerm_resource_group.db.name
  subnet_id           = var.pe_subnet_id

  private_service_connection {
    name                           = "postgresqlServer"
    private_connection_resource_id = azurerm_postgresql_flexible_server.db.id
    subresource_names              = ["postgresqlServer"]
    is_manual_connection           = false
  }
}

variable "pe_subnet_id" {
  type = string
}

variable "admin_password" {
  type      = string
  sensitive = true
}
