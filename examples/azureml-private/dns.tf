resource "azurerm_private_dns_zone" "zone" {
  for_each            = var.dns_zone_names
  name                = each.value
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "link" {
  for_each              = var.dns_zone_names
  name                  = "link-${each.key}"
  resource_group_name   = azurerm_resource_group.ml.name
  private_dns_zone_name = azurerm_private_dns_zone.zone[each.key].name
  virtual_network_id    = azurerm_virtual_network.ml.id
}

locals {
  # One private endpoint per dependent service: target, sub-resource, zones.
  endpoints = {
    blob     = { target = azurerm_storage_account.ml.id, subresource = "blob", zones = ["blob"] }
    file     = { target = azurerm_storage_account.ml.id, subresource = "file", zones = ["file"] }
    vault    = { target = azurerm_key_vault.ml.id, subresource = "vault", zones = ["vault"] }
    registry = { target = azurerm_container_registry.ml.id, subresource = "registry", zones = ["registry"] }
    sql      = { target = azurerm_mssql_server.features.id, subresource = "sqlServer", zones = ["sql"] }
    postgres = { target = azurerm_postgresql_flexible_server.metadata.id, subresource = "postgresqlServer", zones = ["postgres"] }
  }
}

resource "azurerm_private_endpoint" "service" {
  for_each            = local.endpoints
  name                = "pe-${local.name}-${each.key}"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "psc-${each.key}"
    private_connection_resource_id = each.value.target
    subresource_names              = [each.value.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [for z in each.value.zones : azurerm_private_dns_zone.zone[z].id]
  }
}

resource "azurerm_private_endpoint" "workspace" {
  name                = "pe-${local.name}-mlw"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "psc-mlw"
    private_connection_resource_id = azurerm_machine_learning_workspace.ml.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [for z in var.workspace_dns_zones : azurerm_private_dns_zone.zone[z].id]
  }
}
