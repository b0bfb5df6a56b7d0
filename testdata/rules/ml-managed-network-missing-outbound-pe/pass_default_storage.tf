# The workspace's own storage account is private; Azure ML creates its managed-network
# private endpoint itself, so no outbound rule is written.

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-weu"
  location = "westeurope"
}

resource "azurerm_storage_account" "ws" {
  name                          = "stmlweu01"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  account_tier                  = "Standard"
  account_replication_type      = "ZRS"
  public_network_access_enabled = false
}

resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "mlw-weu"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
  key_vault_id                  = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
  storage_account_id            = azurerm_storage_account.ws.id
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  identity {
    type = "SystemAssigned"
  }
}
