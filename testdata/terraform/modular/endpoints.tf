locals {
  # One private endpoint per service; "file" has no private DNS zone yet.
  endpoints = {
    blob = {
      target      = azurerm_storage_account.data[0].id
      subresource = "blob"
      zones       = [azurerm_private_dns_zone.zone["blob"].id]
    }
    file = {
      target      = azurerm_storage_account.data[0].id
      subresource = "file"
      zones       = []
    }
    registry = {
      target      = azapi_resource.registry.id
      subresource = "registry"
      zones       = [azurerm_private_dns_zone.zone["azurecr"].id]
    }
  }
}

module "endpoints" {
  source   = "./modules/private-endpoint"
  for_each = local.endpoints

  name                = "pe-${var.prefix}-${each.key}"
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  subnet_id           = azurerm_subnet.endpoints.id
  target_id           = each.value.target
  subresource         = each.value.subresource
  dns_zone_ids        = each.value.zones
}

module "platform" {
  source = "./modules/platform"

  prefix              = var.prefix
  resource_group_name = azurerm_resource_group.main.name
  location            = azurerm_resource_group.main.location
  subnet_id           = azurerm_subnet.endpoints.id
  vault_dns_zone_id   = azurerm_private_dns_zone.zone["vaultcore"].id
  public_access       = false
}

output "endpoint_ips" {
  value = { for k, m in module.endpoints : k => m.id }
}
