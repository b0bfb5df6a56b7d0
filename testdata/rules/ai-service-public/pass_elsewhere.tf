# A public OpenAI account in another resource group than any private workspace.

resource "azurerm_resource_group" "sandbox" {
  name     = "rg-sandbox-weu"
  location = "westeurope"
}

resource "azurerm_cognitive_account" "openai" {
  name                = "oai-sandbox-weu"
  location            = azurerm_resource_group.sandbox.location
  resource_group_name = azurerm_resource_group.sandbox.name
  kind                = "OpenAI"
  sku_name            = "S0"
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-weu"
  location = "westeurope"
}


resource "azurerm_machine_learning_workspace" "ws" {
  name                          = "mlw-weu"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
  key_vault_id                  = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
  storage_account_id            = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared"
  public_network_access_enabled = false

  identity {
    type = "SystemAssigned"
  }
}
