resource "azurerm_machine_learning_workspace" "aml" {
  name                    = "mlw-${var.prefix}"
  location                = azurerm_resource_group.aml.location
  resource_group_name     = azurerm_resource_group.aml.name
  application_insights_id = azurerm_application_insights.aml.id
  key_vault_id            = azurerm_key_vault.aml.id
  storage_account_id      = azurerm_storage_account.workspace.id
  container_registry_id   = azurerm_container_registry.aml.id
  friendly_name           = "AML parity workspace"
  tags                    = local.tags

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.workspace.id]
  }
  primary_user_assigned_identity = azurerm_user_assigned_identity.workspace.id
}
