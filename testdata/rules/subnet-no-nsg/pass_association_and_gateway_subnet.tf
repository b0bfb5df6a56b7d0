resource "azurerm_virtual_network" "ml" {
  name                = "vnet-ml"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_network_security_group" "pe" {
  name                = "nsg-pe"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet_network_security_group_association" "pe" {
  subnet_id                 = azurerm_subnet.pe.id
  network_security_group_id = azurerm_network_security_group.pe.id
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

# Azure does not support an NSG on GatewaySubnet: never flagged.
resource "azurerm_subnet" "gateway" {
  name                 = "GatewaySubnet"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.255.0/27"]
}

resource "azurerm_virtual_network_gateway" "vpn" {
  name                = "vgw-ml"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  type                = "Vpn"
  vpn_type            = "RouteBased"
  sku                 = "VpnGw1AZ"

  ip_configuration {
    name      = "default"
    subnet_id = azurerm_subnet.gateway.id
  }
}
