resource "azurerm_network_security_group" "jumpbox" {
  name                = "nsg-jumpbox"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  security_rule {
    name                       = "rdp-office"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "203.0.113.0/28"
    source_port_range          = "*"
    destination_port_range     = "3389"
    destination_address_prefix = "*"
  }

  # A /8 is not wider than a /8.
  security_rule {
    name                       = "ssh-partner"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefix      = "20.0.0.0/8"
    source_port_range          = "*"
    destination_port_range     = "22"
    destination_address_prefix = "*"
  }
}

# Every address is nsg-open-inbound's finding, not this rule's.
resource "azurerm_network_security_rule" "ssh_any" {
  name                        = "ssh-any"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_address_prefix       = "*"
  source_port_range           = "*"
  destination_port_range      = "22"
  destination_address_prefix  = "*"
  resource_group_name         = "rg-mlw-prod-weu"
  network_security_group_name = "nsg-jumpbox"
}
