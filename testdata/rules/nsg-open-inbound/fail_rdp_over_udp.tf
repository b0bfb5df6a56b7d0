# RDP listens on UDP 3389 too: a UDP-only allow from the internet still opens it.
resource "azurerm_network_security_group" "desktop" {
  name                = "nsg-desktop"
  location            = "westeurope"
  resource_group_name = "rg-desktop"

  security_rule {
    name                       = "rdp-udp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Udp"
    source_port_range          = "*"
    destination_port_ranges    = [3389]
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
