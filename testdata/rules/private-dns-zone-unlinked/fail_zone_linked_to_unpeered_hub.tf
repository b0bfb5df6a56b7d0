resource "azurerm_virtual_network" "spoke" {
  name                = "vnet-spoke-ml"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.1.0.0/16"]
}

resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.spoke.name
  address_prefixes     = ["10.1.1.0/24"]
}

resource "azurerm_private_dns_zone" "kv" {
  name                = "privatelink.vaultcore.azure.net"
  resource_group_name = "rg-mlw-prod-weu"
}

resource "azurerm_private_endpoint" "kv" {
  name                = "pe-kv"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "kv"
    private_connection_resource_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.KeyVault/vaults/kv-mlw-prod"
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [azurerm_private_dns_zone.kv.id]
  }
}

# Linked to the hub, but the hub is not peered with the spoke: no client resolves from it.
resource "azurerm_private_dns_zone_virtual_network_link" "hub" {
  name                  = "link-hub"
  resource_group_name   = "rg-mlw-prod-weu"
  private_dns_zone_name = azurerm_private_dns_zone.kv.name
  virtual_network_id    = azurerm_virtual_network.hub.id
}
