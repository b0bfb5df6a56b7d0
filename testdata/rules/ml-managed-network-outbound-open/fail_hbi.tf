# A high-business-impact workspace with no managed network (isolation_mode omitted).

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-weu"
  location = "westeurope"
}

data "azurerm_client_config" "current" {}

resource "azurerm_machine_learning_workspace" "ws" {
  name                    = "mlw-weu"
  location                = azurerm_resource_group.ml.location
  resource_group_name     = azurerm_resource_group.ml.name
  application_insights_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
  key_vault_id            = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
  storage_account_id      = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared"
  high_business_impact = true
  identity {
    type = "SystemAssigned"
  }
}
