variable "vaults" {
  type    = map(bool)
  default = { team = true }
}

resource "azurerm_key_vault" "kv" {
  for_each                      = var.vaults
  name                          = "kv-${each.key}-weu-001"
  location                      = "westeurope"
  resource_group_name           = "rg-secrets"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = each.value

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
