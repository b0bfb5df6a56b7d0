variable "name" {
  type = string
}
variable "resource_group_name" {}
variable "target_id" {}
variable "subresource" {}
variable "zone_id" {}

resource "azurerm_private_endpoint" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s"

  private_service_connection {
    name                           = var.subresource
    private_connection_resource_id = var.target_id
    subresource_names              = [var.subresource]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "default"
    private_dns_zone_ids = [var.zone_id]
  }
}
