# A spoke: its blob endpoint registers in the hub's zone, named by its full id.
locals {
  hub_blob_zone_id = "/subscriptions/2b9c8d7e-6f5a-4b3c-9d2e-1f0a9b8c7d6e/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net"
}

resource "azurerm_resource_group" "spoke" {
  name     = "rg-spoke"
  location = "westeurope"
}

resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke"
  location            = azurerm_resource_group.spoke.location
  resource_group_name = azurerm_resource_group.spoke.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.spoke.name
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.20.1.0/24"]
}

resource "azurerm_storage_account" "data" {
  name                          = "stspokedata"
  resource_group_name           = azurerm_resource_group.spoke.name
  location                      = azurerm_resource_group.spoke.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = false
  shared_access_key_enabled     = false
}

resource "azurerm_private_endpoint" "blob" {
  name                = "pe-stspokedata-blob"
  location            = azurerm_resource_group.spoke.location
  resource_group_name = azurerm_resource_group.spoke.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.data.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "hub"
    private_dns_zone_ids = [local.hub_blob_zone_id]
  }
}
