resource "azurerm_virtual_network" "ml" {
  name                = "vnet-${local.name}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  address_space       = [var.address_space]
}

resource "azurerm_subnet" "pe" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = [cidrsubnet(var.address_space, 8, 1)]
}
