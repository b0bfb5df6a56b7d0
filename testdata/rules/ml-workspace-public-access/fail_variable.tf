# Public access comes from a variable whose default leaves the workspace public.
variable "public_access" {
  type        = bool
  description = "Allow the studio from the internet (lab environments only)."
  default     = true
}

resource "azurerm_resource_group" "lab" {
  name     = "rg-ml-lab"
  location = "westeurope"
}

resource "azurerm_machine_learning_workspace" "lab" {
  name                          = "mlw-lab"
  location                      = azurerm_resource_group.lab.location
  resource_group_name           = azurerm_resource_group.lab.name
  application_insights_id       = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
  key_vault_id                  = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
  storage_account_id            = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared"
  public_network_access_enabled = var.public_access

  identity {
    type = "SystemAssigned"
  }
}
