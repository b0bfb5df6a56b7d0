locals {
  ml_zones = toset([
    "privatelink.api.azureml.ms",
    "privatelink.notebooks.azure.net",
  ])
}

resource "azurerm_private_dns_zone" "ml" {
  for_each            = local.ml_zones
  name                = each.value
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "ml" {
  for_each              = azurerm_private_dns_zone.ml
  name                  = "link-${azurerm_virtual_network.ml.name}"
  resource_group_name   = azurerm_resource_group.ml.name
  private_dns_zone_name = each.value.name
  virtual_network_id    = azurerm_virtual_network.ml.id
}
