# Purge protection explicitly off.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "kv" {
  name                       = "kv-mlw-prod-weu"
  resource_group_name        = azurerm_resource_group.ml.name
  location                   = azurerm_resource_group.ml.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = false
}
