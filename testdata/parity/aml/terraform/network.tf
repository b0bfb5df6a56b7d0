resource "azurerm_virtual_network" "aml" {
  name                = "vnet-${var.prefix}"
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  address_space       = [var.address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "training" {
  name                 = "snet-training"
  resource_group_name  = azurerm_resource_group.aml.name
  virtual_network_name = azurerm_virtual_network.aml.name
  address_prefixes     = [cidrsubnet(var.address_space, 8, 1)]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-pe"
  resource_group_name  = azurerm_resource_group.aml.name
  virtual_network_name = azurerm_virtual_network.aml.name
  address_prefixes     = [cidrsubnet(var.address_space, 8, 2)]
}

resource "azurerm_network_security_group" "training" {
  name                = "nsg-aml-training"
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  tags                = local.tags

  # Azure ML compute needs these two service tags inbound.
  security_rule {
    name                       = "AllowAzureMLInbound"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "44224"
    source_address_prefix      = "AzureMachineLearning"
    destination_address_prefix = "VirtualNetwork"
  }

  security_rule {
    name                       = "Deny-RDP-Internet"
    priority                   = 200
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  # Debugging access for the data scientists. TODO: remove before go-live.
  security_rule {
    name                       = "Allow-SSH-Internet"
    priority                   = 300
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "22"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }
}

# The vendor's rule, kept separate so it can be switched off; Deny-RDP-Internet wins.
resource "azurerm_network_security_rule" "vendor_rdp" {
  count                       = var.vendor_rdp_enabled ? 1 : 0
  name                        = "Allow-RDP-Vendor"
  resource_group_name         = azurerm_resource_group.aml.name
  network_security_group_name = azurerm_network_security_group.training.name
  priority                    = 400
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "3389"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
}

resource "azurerm_subnet_network_security_group_association" "training" {
  subnet_id                 = azurerm_subnet.training.id
  network_security_group_id = azurerm_network_security_group.training.id
}
