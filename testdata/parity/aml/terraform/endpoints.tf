locals {
  private_endpoints = {
    "pe-${azurerm_storage_account.workspace.name}-blob" = {
      resource_id = azurerm_storage_account.workspace.id
      group_id    = "blob"
      zones       = ["privatelink.blob.core.windows.net"]
    }
    "pe-${azurerm_storage_account.workspace.name}-file" = {
      resource_id = azurerm_storage_account.workspace.id
      group_id    = "file"
      zones       = ["privatelink.file.core.windows.net"]
    }
    "pe-${azurerm_container_registry.aml.name}" = {
      resource_id = azurerm_container_registry.aml.id
      group_id    = "registry"
      zones       = ["privatelink.azurecr.io"]
    }
    # The notebooks zone exists and is linked, but nobody added it to the group.
    "pe-${azurerm_machine_learning_workspace.aml.name}" = {
      resource_id = azurerm_machine_learning_workspace.aml.id
      group_id    = "amlworkspace"
      zones       = ["privatelink.api.azureml.ms"]
    }
  }
}

resource "azurerm_private_endpoint" "pe" {
  for_each            = local.private_endpoints
  name                = each.key
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  subnet_id           = azurerm_subnet.endpoints.id
  tags                = local.tags

  private_service_connection {
    name                           = "${each.key}-connection"
    private_connection_resource_id = each.value.resource_id
    subresource_names              = [each.value.group_id]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [for z in each.value.zones : azurerm_private_dns_zone.zone[z].id]
  }
}
