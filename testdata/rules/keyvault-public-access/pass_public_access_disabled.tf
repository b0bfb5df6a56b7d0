data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "sec" {
  name     = "rg-ml-secrets"
  location = "westeurope"
}

resource "azurerm_key_vault" "ml" {
  name                          = "kv-ml-private-001"
  location                      = azurerm_resource_group.sec.location
  resource_group_name           = azurerm_resource_group.sec.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  public_network_access_enabled = false
  purge_protection_enabled      = true
}
