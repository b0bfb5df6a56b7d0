module "vault" {
  source = "./modules/vault"
  name   = "kv-unknown"
}

module "network" {
  source  = "Azure/avm-res-network-virtualnetwork/azurerm"
  version = "0.8.1"
}

resource "azurerm_key_vault" "shared" {
  name                          = "kv-shared"
  resource_group_name           = "rg"
  location                      = "westeurope"
  tenant_id                     = "00000000-0000-0000-0000-000000000000"
  sku_name                      = "standard"
  public_network_access_enabled = module.network.private ? false : true
}
