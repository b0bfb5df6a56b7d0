# A Deny from anywhere with a higher priority (lower number) closes SSH before the Allow.
resource "azurerm_resource_group" "net" {
  name     = "rg-edge"
  location = "westeurope"
}

resource "azurerm_network_security_group" "edge" {
  name                = "nsg-edge"
  location            = azurerm_resource_group.net.location
  resource_group_name = azurerm_resource_group.net.name
}

resource "azurerm_network_security_rule" "deny_management" {
  name                        = "deny-management-from-internet"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_ranges     = ["22", "3389"]
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.net.name
  network_security_group_name = azurerm_network_security_group.edge.name
}

resource "azurerm_network_security_rule" "allow_ssh" {
  name                        = "allow-ssh-legacy"
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.net.name
  network_security_group_name = azurerm_network_security_group.edge.name
}
