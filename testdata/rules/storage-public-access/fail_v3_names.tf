# azurerm v3 attribute names (allow_nested_items_to_be_public, enable_https_traffic_only).
terraform {
  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 3.100"
    }
  }
}

provider "azurerm" {
  features {}
}

resource "azurerm_resource_group" "logs" {
  name     = "rg-logs"
  location = "westeurope"
}

resource "azurerm_storage_account" "logs" {
  name                            = "stlogsarchive"
  resource_group_name             = azurerm_resource_group.logs.name
  location                        = azurerm_resource_group.logs.location
  account_tier                    = "Standard"
  account_replication_type        = "RAGRS"
  enable_https_traffic_only       = true
  allow_nested_items_to_be_public = false
  min_tls_version                 = "TLS1_2"
}
