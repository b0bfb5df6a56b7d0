# A Standard registry used by a public workspace, with no private endpoint: nothing needs Premium.
resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-sandbox"
  location = "westeurope"
}

resource "azurerm_container_registry" "ml" {
  name                = "acrmlsandbox"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  sku                 = "Standard"
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                    = "mlw-sandbox"
  location                = azurerm_resource_group.ml.location
  resource_group_name     = azurerm_resource_group.ml.name
  application_insights_id = var.application_insights_id
  key_vault_id            = var.key_vault_id
  storage_account_id      = var.storage_account_id
  container_registry_id   = azurerm_container_registry.ml.id

  identity {
    type = "SystemAssigned"
  }
}

variable "application_insights_id" {
  type = string
}

variable "key_vault_id" {
  type = string
}

variable "storage_account_id" {
  type = string
}
