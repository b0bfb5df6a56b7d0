resource "azurerm_storage_account" "ml" {
  name                            = "st${var.project}${var.environment}${local.suffix}"
  resource_group_name             = azurerm_resource_group.ml.name
  location                        = azurerm_resource_group.ml.location
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  public_network_access_enabled   = var.storage_public_network_access
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false
  tags                            = local.tags
}

resource "azurerm_storage_account_network_rules" "ml" {
  storage_account_id = azurerm_storage_account.ml.id
  default_action     = var.storage_default_action
  bypass             = ["AzureServices"]
}

resource "azurerm_key_vault" "ml" {
  name                          = "kv-${local.name}-${local.suffix}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  sku_name                      = "standard"
  rbac_authorization_enabled    = true
  purge_protection_enabled      = true
  public_network_access_enabled = var.key_vault_public_network_access

  network_acls {
    default_action = var.key_vault_public_network_access ? "Allow" : "Deny"
    bypass         = "AzureServices"
  }
}

resource "azurerm_container_registry" "ml" {
  name                          = "cr${var.project}${var.environment}${local.suffix}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  sku                           = var.registry_sku
  admin_enabled                 = false
  public_network_access_enabled = var.registry_public_network_access
  network_rule_bypass_option    = "AzureServices"
  data_endpoint_enabled         = var.registry_sku == "Premium"
}

# Landing zone for partner data drops, read by the ingestion pipeline.
resource "azurerm_storage_account" "landing" {
  name                          = "stland${var.project}${local.suffix}"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = var.landing_public_network_access
  shared_access_key_enabled     = var.landing_shared_key_access
}
