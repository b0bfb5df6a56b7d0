# Public access set explicitly, firewall rules from a map: one of them spans the internet.
variable "firewall_rules" {
  type = map(object({ start = string, end = string }))
  default = {
    office   = { start = "203.0.113.0", end = "203.0.113.255" }
    anywhere = { start = "0.0.0.0", end = "255.255.255.255" }
  }
}

resource "azurerm_resource_group" "db" {
  name     = "rg-analytics-db"
  location = "northeurope"
}

resource "azurerm_postgresql_flexible_server" "analytics" {
  name                          = format("psql-%s-%s", "analytics", "ne")
  resource_group_name           = azurerm_resource_group.db.name
  location                      = azurerm_resource_group.db.location
  version                       = "15"
  sku_name                      = "B_Standard_B1ms"
  public_network_access_enabled = true
  administrator_login           = "analytics"
  administrator_password        = "not-a-real-password-1!"
}

resource "azurerm_postgresql_flexible_server_firewall_rule" "rules" {
  for_each         = var.firewall_rules
  name             = each.key
  server_id        = azurerm_postgresql_flexible_server.analytics.id
  start_ip_address = each.value.start
  end_ip_address   = each.value.end
}
