# Public network access on (default) but the firewall denies by default.
data "azurerm_client_config" "current" {}

variable "allowed_ips" {
  type    = list(string)
  default = ["198.51.100.7/32", "198.51.100.8/32"]
}

resource "azurerm_resource_group" "sec" {
  name     = "rg-api-secrets"
  location = "westeurope"
}

resource "azurerm_key_vault" "api" {
  name                      = "kv-api-weu-001"
  location                  = azurerm_resource_group.sec.location
  resource_group_name       = azurerm_resource_group.sec.name
  tenant_id                 = data.azurerm_client_config.current.tenant_id
  sku_name                  = "standard"
  enable_rbac_authorization = false

  network_acls {
    default_action = "Deny"
    bypass         = "AzureServices"
    ip_rules       = var.allowed_ips
  }
}
