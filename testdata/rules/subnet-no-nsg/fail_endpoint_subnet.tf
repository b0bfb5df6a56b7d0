resource "azurerm_virtual_network" "ml" {
  name                = "vnet-ml"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"
  address_space       = ["10.0.0.0/16"]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.1.0/24"]
}

resource "azurerm_subnet" "vms" {
  name                 = "snet-vms"
  resource_group_name  = "rg-mlw-prod-weu"
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.0.2.0/24"]
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

resource "azurerm_network_interface" "vm" {
  name                = "nic-vm"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = azurerm_subnet.vms.id
    private_ip_address_allocation = "Dynamic"
  }
}
