# Every port from anywhere ("temporary" debugging rule).
resource "azurerm_resource_group" "dev" {
  name     = "rg-dev-sandbox"
  location = "westeurope"
}

resource "azurerm_network_security_group" "dev" {
  name                = "nsg-dev-sandbox"
  location            = azurerm_resource_group.dev.location
  resource_group_name = azurerm_resource_group.dev.name

  security_rule {
    name                       = "debug-allow-all"
    priority                   = 4096
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
