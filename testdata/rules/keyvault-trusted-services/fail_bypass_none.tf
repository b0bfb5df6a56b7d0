# The workspace's vault firewall lets no trusted service through.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

data "azurerm_client_config" "current" {}

resource "azurerm_storage_account" "ml" {
  name                      = "stmlwprodweu01"
  resource_group_name       = azurerm_resource_group.ml.name
  location                  = azurerm_resource_group.ml.location
  account_tier              = "Standard"
  account_replication_type  = "ZRS"
  shared_access_key_enabled = false
  public_network_access_enabled = false
}

resource "azurerm_key_vault" "ml" {
  name                       = "kv-mlw-prod-weu"
  resource_group_name        = azurerm_resource_group.ml.name
  location                   = azurerm_resource_group.ml.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  purge_protection_enabled   = true
  rbac_authorization_enabled = true
  network_acls {
    default_action = "Deny"
    bypass         = "None"
  }
}

resource "azurerm_container_registry" "ml" {
  name                = "crmlwprodweu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  sku                 = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_application_insights" "ml" {
  name                = "appi-mlw-prod-weu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  application_type    = "web"
  internet_ingestion_enabled = false
  internet_query_enabled     = false
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  application_insights_id       = azurerm_application_insights.ml.id
  key_vault_id                  = azurerm_key_vault.ml.id
  storage_account_id            = azurerm_storage_account.ml.id
  container_registry_id         = azurerm_container_registry.ml.id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}
