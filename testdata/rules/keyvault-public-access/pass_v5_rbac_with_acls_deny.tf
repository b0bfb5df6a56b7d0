# azurerm v5 spelling (rbac_authorization_enabled): irrelevant to the verdict.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = ">= 5.0"
    }
  }
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "sec" {
  name     = "rg-platform-secrets"
  location = "swedencentral"
}

resource "azurerm_key_vault" "platform" {
  name                       = "kv-platform-sc-001"
  location                   = azurerm_resource_group.sec.location
  resource_group_name        = azurerm_resource_group.sec.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "premium"
  rbac_authorization_enabled = true

  network_acls {
    default_action = "Deny"
    bypass         = "None"
  }
}
