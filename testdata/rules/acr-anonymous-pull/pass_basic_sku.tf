# Anonymous pull exists only on Standard and Premium: on a Basic registry the flag is ignored.
resource "azurerm_resource_group" "acr" {
  name     = "rg-registry"
  location = "westeurope"
}

resource "azurerm_container_registry" "basic" {
  name                   = "acrmlbasic"
  resource_group_name    = azurerm_resource_group.acr.name
  location               = azurerm_resource_group.acr.location
  sku                    = "Basic"
  anonymous_pull_enabled = true
}
