resource "azurerm_virtual_network" "hub" {
  name                = "vnet-hub"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.0.0.0/16"]
  dns_servers         = ["192.168.10.4"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.1.0/24"]
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
}

resource "azurerm_subnet" "dns_in" {
  name                 = "snet-dns-in"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.hub.name
  address_prefixes     = ["10.0.2.0/28"]

  delegation {
    name = "Microsoft.Network.dnsResolvers"
    service_delegation {
      name = "Microsoft.Network/dnsResolvers"
    }
  }
}

resource "azurerm_private_dns_resolver" "hub" {
  name                = "dnspr-hub"
  resource_group_name = "rg-mlw-prod-weu"
  location            = "westeurope"
  virtual_network_id  = azurerm_virtual_network.hub.id
}

# On-premises DNS (192.168.10.4) forwards privatelink.* to this endpoint.
resource "azurerm_private_dns_resolver_inbound_endpoint" "in" {
  name                    = "inbound"
  private_dns_resolver_id = azurerm_private_dns_resolver.hub.id
  location                = "westeurope"

  ip_configurations {
    private_ip_allocation_method = "Dynamic"
    subnet_id                    = azurerm_subnet.dns_in.id
  }
}
