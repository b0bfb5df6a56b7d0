resource "azurerm_network_security_group" "this" {
  name                = var.name
  location            = "westeurope"
  resource_group_name = "rg-live"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = var.source_prefix
    destination_address_prefix = "*"
  }
}
