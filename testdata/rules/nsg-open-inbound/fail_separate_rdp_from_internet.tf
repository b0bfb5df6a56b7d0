# Rules as separate azurerm_network_security_rule resources.
resource "azurerm_resource_group" "vdi" {
  name     = "rg-vdi"
  location = "northeurope"
}

resource "azurerm_network_security_group" "vdi" {
  name                = "nsg-vdi-hosts"
  location            = azurerm_resource_group.vdi.location
  resource_group_name = azurerm_resource_group.vdi.name
}

resource "azurerm_network_security_rule" "rdp" {
  name                        = "allow-rdp"
  priority                    = 300
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "VirtualNetwork"
  resource_group_name         = azurerm_resource_group.vdi.name
  network_security_group_name = azurerm_network_security_group.vdi.name
}
