resource "azapi_resource" "registry" {
  type      = "Microsoft.ContainerRegistry/registries@2023-07-01"
  name      = "cr${var.prefix}"
  parent_id = azurerm_resource_group.main.id
  location  = azurerm_resource_group.main.location

  body = {
    sku = {
      name = "Standard"
    }
    properties = {
      adminUserEnabled    = false
      publicNetworkAccess = "Disabled"
    }
  }
}
