# The higher-priority Deny only protects one host; SSH to every other address stays open.
resource "azurerm_resource_group" "net" {
  name     = "rg-app-vms"
  location = "westeurope"
}

resource "azurerm_network_security_group" "vms" {
  name                = "nsg-app-vms"
  location            = azurerm_resource_group.net.location
  resource_group_name = azurerm_resource_group.net.name

  security_rule {
    name                       = "deny-ssh-to-db-host"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "*"
    destination_address_prefix = "10.70.1.4"
  }

  security_rule {
    name                       = "allow-ssh"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}
