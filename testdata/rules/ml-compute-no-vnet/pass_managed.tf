# The cluster has no subnet, but the workspace has a managed network.

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
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = azurerm_resource_group.ml.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ws.id
  vm_priority                   = "Dedicated"
  vm_size                       = "STANDARD_DS3_V2"
  node_public_ip_enabled        = false
  
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT15M"
  }
}
