locals {
  prefix = "shop"
}

resource "azurerm_resource_group" "app" {
  name     = "rg-${local.prefix}"
  location = "westeurope"
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.app.name
  virtual_network_name = "vnet-${local.prefix}"
  address_prefixes     = ["10.30.2.0/24"]
}

resource "azurerm_container_registry" "app" {
  name                          = "acr${local.prefix}prod"
  resource_group_name           = azurerm_resource_group.app.name
  location                      = azurerm_resource_group.app.location
  sku                           = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "acr" {
  name                = "pe-${azurerm_container_registry.app.name}"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.app.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.acr_private_dns_zone_id]
  }
}

variable "acr_private_dns_zone_id" {
  type    = string
  default = "/subscriptions/0000/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"
}
