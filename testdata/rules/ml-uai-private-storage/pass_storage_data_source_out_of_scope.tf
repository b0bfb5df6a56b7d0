# The storage account is read with a data source: its network settings are not in scope,
# so the rule stays undecided and reports nothing.
resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-shared"
  location = "westeurope"
}

data "azurerm_storage_account" "shared" {
  name                = "stsharedmlplatform"
  resource_group_name = "rg-platform-data"
}

resource "azurerm_user_assigned_identity" "ws" {
  name                = "id-mlw-shared"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                           = "mlw-shared"
  location                       = azurerm_resource_group.ml.location
  resource_group_name            = azurerm_resource_group.ml.name
  application_insights_id        = var.application_insights_id
  key_vault_id                   = var.key_vault_id
  storage_account_id             = data.azurerm_storage_account.shared.id
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
