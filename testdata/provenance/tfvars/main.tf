# The vault's exposure is decided per environment, by variable.
resource "azurerm_resource_group" "sec" {
  name     = "rg-secrets"
  location = "westeurope"
}

resource "azurerm_key_vault" "app" {
  name                          = "kv-app-weu-001"
  location                      = azurerm_resource_group.sec.location
  resource_group_name           = azurerm_resource_group.sec.name
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = var.kv_public

  network_acls {
    default_action = local.acl_action
    bypass         = "AzureServices"
  }
}

locals {
  acl_action = var.kv_acl_default
}
