# A manual (approval-pending) private endpoint connection still needs a Premium registry.
variable "registry_sku" {
  type    = string
  default = "Basic"
}

resource "azurerm_resource_group" "hub" {
  name     = "rg-hub"
  location = "westeurope"
}

resource "azurerm_container_registry" "hub" {
  name                = "acrhubshared"
  resource_group_name = azurerm_resource_group.hub.name
  location            = azurerm_resource_group.hub.location
  sku                 = var.registry_sku
}

resource "azurerm_private_endpoint" "spoke" {
  name                = "pe-acrhubshared-spoke1"
  location            = "westeurope"
  resource_group_name = "rg-spoke1"
  subnet_id           = "/subscriptions/0000/resourceGroups/rg-spoke1/providers/Microsoft.Network/virtualNetworks/vnet-spoke1/subnets/snet-pe"

  private_service_connection {
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.hub.id
    subresource_names              = ["registry"]
    is_manual_connection           = true
    request_message                = "spoke1 build agents"
  }
}
