variable "name" {
  type = string
}

variable "resource_group_name" {
  type = string
}

variable "location" {
  type = string
}

variable "subnet_id" {
  type = string
}

variable "target_id" {
  type = string
}

variable "subresource" {
  type = string
}

variable "dns_zone_ids" {
  type    = list(string)
  default = []
}

resource "azurerm_private_endpoint" "this" {
  name                = var.name
  resource_group_name = var.resource_group_name
  location            = var.location
  subnet_id           = var.subnet_id

  private_service_connection {
    name                           = "psc-${var.name}"
    private_connection_resource_id = var.target_id
    subresource_names              = [var.subresource]
    is_manual_connection           = false
  }

  dynamic "private_dns_zone_group" {
    for_each = length(var.dns_zone_ids) > 0 ? [var.dns_zone_ids] : []
    content {
      name                 = "default"
      private_dns_zone_ids = private_dns_zone_group.value
    }
  }
}

output "id" {
  value = azurerm_private_endpoint.this.id
}
