resource "azurerm_network_security_group" "jumpbox" {
  name                = "nsg-jumpbox"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  security_rule {
    name                       = "rdp-wide"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_address_prefixes    = ["0.0.0.0/1", "128.0.0.0/1"]
    source_port_range          = "*"
    destination_port_range     = "3389"
    destination_address_prefix = "*"
  }
}
