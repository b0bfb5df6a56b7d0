# network_acls present but default_action Allow: the IP list restricts nothing.
data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "sec" {
  name     = "rg-ml-secrets"
  location = "westeurope"
}

resource "azurerm_key_vault" "ml" {
  name                = "kv-ml-weu-001"
  location            = azurerm_resource_group.sec.location
  resource_group_name = azurerm_resource_group.sec.name
  tenant_id           = data.azurerm_client_config.current.tenant_id
  sku_name            = "standard"

  network_acls {
    default_action = "Allow"
    bypass         = "AzureServices"
    ip_rules       = ["203.0.113.0/24"]
  }
}
