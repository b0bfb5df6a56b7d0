# A compute instance with a public IP.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  application_insights_id       = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Insights/components/appi-mlw"
  key_vault_id                  = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.KeyVault/vaults/kv-mlw"
  storage_account_id            = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Storage/storageAccounts/stmlw"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_virtual_network" "ml" {
  name                = "vnet-mlw-prod-weu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  address_space       = ["10.40.0.0/16"]
}

resource "azurerm_subnet" "training" {
  name                 = "snet-training"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.40.1.0/24"]
}

resource "azurerm_machine_learning_compute_instance" "dev" {
  name                          = "ci-mlw-dev"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  virtual_machine_size          = "Standard_DS3_v2"
  node_public_ip_enabled        = true
  local_auth_enabled            = false
}
