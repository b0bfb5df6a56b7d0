resource "azurerm_resource_group" "sec" {
  name     = "rg-secrets"
  location = "westeurope"
}

module "kv" {
  source         = "./modules/kv"
  name           = "kv-team-weu-001"
  resource_group = azurerm_resource_group.sec.name
  public         = var.vault_public
}
