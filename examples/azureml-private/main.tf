locals {
  name   = "${var.project}-${var.environment}"
  suffix = substr(md5(local.name), 0, 6)
  tags = {
    project     = var.project
    environment = var.environment
    managed_by  = "terraform"
  }
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-${local.name}-ml"
  location = var.location
  tags     = local.tags
}

resource "azurerm_log_analytics_workspace" "ml" {
  name                = "log-${local.name}"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  sku                 = "PerGB2018"
  retention_in_days   = 30
}

resource "azurerm_application_insights" "ml" {
  name                = "appi-${local.name}"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  workspace_id        = azurerm_log_analytics_workspace.ml.id
  application_type    = "web"

  # Telemetry reaches it through an Azure Monitor Private Link Scope, not the internet.
  internet_ingestion_enabled = var.appinsights_public_network_access
  internet_query_enabled     = var.appinsights_public_network_access
}

resource "azurerm_user_assigned_identity" "workspace" {
  name                = "id-${local.name}-mlw"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
}
