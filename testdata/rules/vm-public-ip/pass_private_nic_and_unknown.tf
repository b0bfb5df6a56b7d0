variable "public_ip_id" {
  type = string
}

resource "azurerm_network_interface" "jumpbox" {
  name                = "nic-jumpbox"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  ip_configuration {
    name                          = "ipconfig1"
    subnet_id                     = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Network/virtualNetworks/vnet-ml/subnets/snet-vms"
    private_ip_address_allocation = "Dynamic"
  }
}

# A public IP id that is not known statically is undecided, not a finding.
resource "azurerm_network_interface" "maybe" {
  name                = "nic-maybe"
  location            = "westeurope"
  resource_group_name = "rg-mlw-prod-weu"

  ip_configuration {
    name                          = "ipconfig1"
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = var.public_ip_id
  }
}
