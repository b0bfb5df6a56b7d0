locals {
  name = "mlsecure"
  tags = { workload = "ml", env = "prod" }
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-${local.name}"
  location = var.location
  tags     = local.tags
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-${local.name}"
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
  name                = "pe-${azurerm_machine_learning_workspace.ml.name}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  subnet_id           = azurerm_subnet.pe.id
  tags                = local.tags

  private_service_connection {
    name                           = "amlworkspace"
    private_connection_resource_id = azurerm_machine_learning_workspace.ml.id
    subresource_names              = ["amlworkspace"]
    is_manual_connection           = false
  }

  private_dns_zone_group {
    name                 = "amlworkspace"
    private_dns_zone_ids = [for z in azurerm_private_dns_zone.ml : z.id]
  }
}
