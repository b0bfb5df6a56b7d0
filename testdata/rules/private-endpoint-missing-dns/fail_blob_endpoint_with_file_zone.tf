# Copy-paste slip: the blob endpoint got the file zone.
locals {
  zones = {
    blob = "privatelink.blob.core.windows.net"
    file = "privatelink.file.core.windows.net"
  }
}

resource "azurerm_resource_group" "data" {
  name     = "rg-data"
  location = "westeurope"
}

resource "azurerm_private_dns_zone" "storage" {
  for_each            = local.zones
  name                = each.value
  resource_group_name = azurerm_resource_group.data.name
}

resource "azurerm_storage_account" "data" {
  name                          = "stdataweu01"
  resource_group_name           = azurerm_resource_group.data.name
  location                      = azurerm_resource_group.data.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "blob" {
  name                = "pe-${azurerm_storage_account.data.name}-blob"
  location            = azurerm_resource_group.data.location
  resource_group_name = azurerm_resource_group.data.name
  subnet_id           = var.pe_subnet_id

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.data.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.storage["file"].id]
  }
}

variable "pe_subnet_id" {
  type    = string
  default = "/subscriptions/0000/resourceGroups/rg-network/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-pe"
}
