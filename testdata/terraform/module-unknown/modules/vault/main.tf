variable "name" {
  type = string
}

variable "public_access" {
  type = bool
}

resource "azurerm_key_vault" "this" {
  name                          = var.name
  resource_group_name           = "rg"
  location                      = "westeurope"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = var.public_access
}
