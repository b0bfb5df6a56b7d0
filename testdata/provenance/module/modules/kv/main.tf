resource "azurerm_key_vault" "this" {
  name                          = var.name
  location                      = "westeurope"
  resource_group_name           = var.resource_group
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  purge_protection_enabled      = true
  public_network_access_enabled = var.public

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
  }
}
