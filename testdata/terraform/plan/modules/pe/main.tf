variable "name" {
  type = string
}

variable "target_id" {
  type = string
}

resource "azurerm_private_endpoint" "this" {
  name                = var.name
  resource_group_name = "rg-plan"
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-plan/providers/Microsoft.Network/virtualNetworks/v/subnets/pe"

  private_service_connection {
    name                           = "psc"
    private_connection_resource_id = var.target_id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}
