locals {
  teams = ["apps", "data"]
}

resource "azurerm_resource_group" "shared" {
  name     = "rg-shared"
  location = "westeurope"
}
