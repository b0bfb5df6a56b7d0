locals {
  # Storage accounts and registries take no dashes.
  compact = replace(var.prefix, "-", "")
  tags    = merge(var.tags, { managed_by = "terraform" })
}

resource "azurerm_resource_group" "aml" {
  name     = "rg-${var.prefix}"
  location = var.location
  tags     = local.tags
}

resource "azurerm_user_assigned_identity" "workspace" {
  name                = "id-mlw-${var.prefix}"
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  tags                = local.tags
}

resource "azurerm_application_insights" "aml" {
  name                = "appi-${var.prefix}"
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  application_type    = "web"
  tags                = local.tags
}
