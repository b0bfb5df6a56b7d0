variable "environment" {
  type    = string
  default = "dev"
}

locals {
  name = format("mlw-contoso-%s", var.environment)
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-${var.environment}"
  location = "northeurope"
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                          = local.name
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = var.application_insights_id
  key_vault_id                  = var.key_vault_id
  storage_account_id            = var.storage_account_id
  public_network_access_enabled = true
  friendly_name                 = "Contoso ML (${var.environment})"

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
