# azurerm v2 names: the separate network rules resource names the account instead of
# giving its id, and blob public access is allow_blob_public_access.
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 2.99"
    }
  }
}

resource "azurerm_resource_group" "legacy" {
  name     = "rg-legacy"
  location = "northeurope"
}

resource "azurerm_storage_account" "legacy" {
  name                      = "stlegacy0001"
  resource_group_name       = azurerm_resource_group.legacy.name
  location                  = azurerm_resource_group.legacy.location
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = true
  allow_blob_public_access  = false
}

resource "azurerm_storage_account_network_rules" "legacy" {
  resource_group_name  = azurerm_resource_group.legacy.name
  storage_account_name = azurerm_storage_account.legacy.name
  default_action       = "Deny"
  bypass               = ["AzureServices"]
}
