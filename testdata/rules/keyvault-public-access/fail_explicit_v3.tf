# azurerm v3 spelling (enable_rbac_authorization); public access explicitly on.
data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "sec" {
  name     = "rg-shared-secrets"
  location = "northeurope"
}

resource "azurerm_key_vault" "shared" {
  name                          = "kv-shared-ne-001"
  location                      = azurerm_resource_group.sec.location
  resource_group_name           = azurerm_resource_group.sec.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "premium"
  enable_rbac_authorization     = true
  public_network_access_enabled = true
}
