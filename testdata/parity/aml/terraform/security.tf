resource "azurerm_key_vault" "aml" {
  name                       = "kv-${var.prefix}"
  location                   = azurerm_resource_group.aml.location
  resource_group_name        = azurerm_resource_group.aml.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  enable_rbac_authorization  = true
  purge_protection_enabled   = true
  soft_delete_retention_days = 30
  tags                       = local.tags
}

resource "azurerm_container_registry" "aml" {
  name                = "cr${local.compact}"
  location            = azurerm_resource_group.aml.location
  resource_group_name = azurerm_resource_group.aml.name
  sku                 = "Standard"
  admin_enabled       = false
  tags                = local.tags
}
