# Workspace default storage: private, reached through blob and file endpoints.
resource "azurerm_storage_account" "workspace" {
  name                            = "st${local.compact}priv"
  location                        = azurerm_resource_group.aml.location
  resource_group_name             = azurerm_resource_group.aml.name
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  public_network_access_enabled   = false
  tags                            = local.tags
}

# Landing zone for partner uploads: nobody restricted it.
resource "azurerm_storage_account" "landing" {
  name                     = "st${local.compact}pub"
  location                 = azurerm_resource_group.aml.location
  resource_group_name      = azurerm_resource_group.aml.name
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_2"
  tags                     = local.tags
}
