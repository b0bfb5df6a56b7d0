# Only a user-assigned identity, and the workspace storage has public network access disabled.
locals {
  name = "mlfraud"
}

data "azurerm_client_config" "current" {}

resource "azurerm_resource_group" "ml" {
  name     = "rg-${local.name}"
  location = "westeurope"
}

resource "azurerm_user_assigned_identity" "ws" {
  name                = "id-${local.name}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_storage_account" "ml" {
  name                          = "st${local.name}"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = false
}

resource "azurerm_key_vault" "ml" {
  name                          = "kv-${local.name}"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  public_network_access_enabled = false
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                           = "mlw-${local.name}"
  location                       = azurerm_resource_group.ml.location
  resource_group_name            = azurerm_resource_group.ml.name
  application_insights_id        = var.application_insights_id
  key_vault_id                   = azurerm_key_vault.ml.id
  storage_account_id             = azurerm_storage_account.ml.id
  primary_user_assigned_identity = azurerm_user_assigned_identity.ws.id
  public_network_access_enabled  = false

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.ws.id]
  }
}

variable "application_insights_id" {
  type = string
}
