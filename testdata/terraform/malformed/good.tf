resource "azurerm_resource_group" "rg" {
  name     = "rg-broken-neighbour"
  location = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  name                = "kv-broken-neighbour"
  resource_group_name = azurerm_resource_group.rg.name
  location            = azurerm_resource_group.rg.location
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
