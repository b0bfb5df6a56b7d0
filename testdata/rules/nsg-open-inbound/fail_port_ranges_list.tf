# destination_port_ranges and source_address_prefixes, with the internet in the list.
variable "partner_ranges" {
  type    = list(string)
  default = ["203.0.113.0/24", "0.0.0.0/0"]
}

resource "azurerm_resource_group" "db" {
  name     = "rg-reporting"
  location = "westeurope"
}

resource "azurerm_network_security_group" "db" {
  name                = "nsg-reporting-db"
  location            = azurerm_resource_group.db.location
  resource_group_name = azurerm_resource_group.db.name
}

resource "azurerm_network_security_rule" "partners" {
  name                        = "allow-partners"
  priority                    = 150
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_ranges     = ["443", "1433", "5432"]
  source_address_prefixes     = var.partner_ranges
  destination_address_prefix  = "*"
  resource_group_name         = azurerm_resource_group.db.name
  network_security_group_name = azurerm_network_security_group.db.name
}
