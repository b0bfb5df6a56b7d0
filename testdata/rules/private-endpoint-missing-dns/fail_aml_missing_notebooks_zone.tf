# amlworkspace needs privatelink.api.azureml.ms and privatelink.notebooks.azure.net.
resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-private"
  location = "westeurope"
}

resource "azurerm_private_dns_zone" "api" {
  name                = "privatelink.api.azureml.ms"
  resource_group_name = azurerm_resource_group.ml.name
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-private"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = var.application_insights_id
  key_vault_id                  = var.key_vault_id
  storage_account_id            = var.storage_account_id
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_private_endpoint" "ml" {
  name                = "pe-mlw-private"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  subnet_id           = var.pe_subnet_id

  private_service_connection {
    name                           = "amlworkspace"
    private_connection_resource_id = azurerm_machine_learning_workspace.ml.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "amlworkspace"
    private_dns_zone_ids = [azurerm_private_dns_zone.api.id]
  }
}

variable "pe_subnet_id" {
  type = string
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
