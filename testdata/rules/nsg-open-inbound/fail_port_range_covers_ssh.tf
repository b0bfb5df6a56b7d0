# "20-25" from 0.0.0.0/0 opens FTP, SSH and Telnet.
resource "azurerm_resource_group" "legacy" {
  name     = "rg-legacy-ftp"
  location = "westeurope"
}

resource "azurerm_network_security_group" "ftp" {
  name                = "nsg-ftp"
  location            = azurerm_resource_group.legacy.location
  resource_group_name = azurerm_resource_group.legacy.name

  security_rule {
    name                       = "allow-legacy-range"
    description                = "FTP for the partner upload job"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "20-25"
    source_address_prefix      = "0.0.0.0/0"
    destination_address_prefix = "*"
  }
}
