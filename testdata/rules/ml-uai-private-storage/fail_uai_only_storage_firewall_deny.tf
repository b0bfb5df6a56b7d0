# The storage firewall denies by default (separate network rules resource): same refusal.
resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-churn"
  location = "northeurope"
}

resource "azurerm_user_assigned_identity" "ws" {
  name                = "id-mlw-churn"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_storage_account" "ml" {
  name                     = "stmlchurn"
  location                 = azurerm_resource_group.ml.location
  resource_group_name      = azurerm_resource_group.ml.name
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "ml" {
  storage_account_id = azurerm_storage_account.ml.id
  default_action     = "Deny"
  bypass             = ["AzureServices"]
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                           = "mlw-churn"
  location                       = azurerm_resource_group.ml.location
  resource_group_name            = azurerm_resource_group.ml.name
  application_insights_id        = var.application_insights_id
  key_vault_id                   = var.key_vault_id
  storage_account_id             = azurerm_storage_account.ml.id
  primary_user_assigned_identity = azurerm_user_assigned_identity.ws.id

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.ws.id]
  }
}

variable "application_insights_id" {
  type = string
}

variable "key_vault_id" {
  type = string
}
