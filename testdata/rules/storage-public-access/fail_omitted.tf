# Neither public_network_access_enabled nor network_rules: open to all networks.
locals {
  project = "datalake"
  env     = "prod"
}

resource "azurerm_resource_group" "data" {
  name     = "rg-${local.project}-${local.env}"
  location = "westeurope"
}

resource "azurerm_storage_account" "lake" {
  name                     = format("st%s%s", local.project, local.env)
  resource_group_name      = azurerm_resource_group.data.name
  location                 = azurerm_resource_group.data.location
  account_tier             = "Standard"
  account_replication_type = "ZRS"
  account_kind             = "StorageV2"
  is_hns_enabled           = true
  min_tls_version          = "TLS1_2"

  blob_properties {
    delete_retention_policy {
      days = 14
    }
  }
}
