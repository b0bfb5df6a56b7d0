# No public_network_access_enabled, no network_acls: reachable from all networks.
data "azurerm_client_config" "current" {}

locals {
  workload = "payments"
}

resource "azurerm_resource_group" "sec" {
  name     = "rg-${local.workload}-sec"
  location = "westeurope"
}

resource "azurerm_key_vault" "app" {
  name                       = "kv-${local.workload}-prod"
  location                   = azurerm_resource_group.sec.location
  resource_group_name        = azurerm_resource_group.sec.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  rbac_authorization_enabled = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 30
}
