# No private_dns_zone_group: the vault's name keeps resolving to its public address.
data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "app" {
  name     = "rg-orders"
  location = "westeurope"
}

resource "azurerm_virtual_network" "app" {
  name                = "vnet-orders"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  address_space       = ["10.40.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-private-endpoints"
  resource_group_name  = azurerm_resource_group.app.name
  virtual_network_name = azurerm_virtual_network.app.name
  address_prefixes     = ["10.40.10.0/24"]
}

resource "azurerm_key_vault" "app" {
  name                          = "kv-orders-weu"
  location                      = azurerm_resource_group.app.location
  resource_group_name           = azurerm_resource_group.app.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "kv" {
  name                = "pe-${azurerm_key_vault.app.name}"
  location            = azurerm_resource_group.app.location
  resource_group_name = azurerm_resource_group.app.name
  subnet_id           = azurerm_subnet.pe.id

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.app.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
}
