resource "azurerm_virtual_network" "ml" {
  name                = "vnet-${local.name}"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  address_space       = [var.address_space]
  tags                = local.tags
}

resource "azurerm_subnet" "training" {
  name                 = "snet-training"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = [cidrsubnet(var.address_space, 8, 1)]
}

resource "azurerm_subnet" "endpoints" {
  name                              = "snet-endpoints"
  resource_group_name               = azurerm_resource_group.ml.name
  virtual_network_name              = azurerm_virtual_network.ml.name
  address_prefixes                  = [cidrsubnet(var.address_space, 8, 2)]
  private_endpoint_network_policies = "Disabled"
}

resource "azurerm_network_security_group" "training" {
  name                = "nsg-${local.name}-training"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location

  security_rule {
    name                       = "AllowBatchNodeManagement"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "29876-29877"
    source_address_prefix      = "BatchNodeManagement"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "AllowAzureMachineLearning"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "44224"
    source_address_prefix      = "AzureMachineLearning"
    destination_address_prefix = "*"
  }
}

resource "azurerm_network_security_rule" "ssh" {
  name                        = "AllowSshFromBastion"
  resource_group_name         = azurerm_resource_group.ml.name
  network_security_group_name = azurerm_network_security_group.training.name
  priority                    = 200
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = var.ssh_source_prefix
  destination_address_prefix  = azurerm_subnet.training.address_prefixes[0]
}

resource "azurerm_subnet_network_security_group_association" "training" {
  subnet_id                 = azurerm_subnet.training.id
  network_security_group_id = azurerm_network_security_group.training.id
}
