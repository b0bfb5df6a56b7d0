variable "workspaces" {
  type = map(object({ friendly_name = string }))
  default = {
    research = { friendly_name = "Research" }
    scoring  = { friendly_name = "Scoring" }
  }
}

variable "public_access" {
  type    = bool
  default = false
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-shared"
  location = "swedencentral"
}

resource "azurerm_machine_learning_workspace" "this" {
  for_each = var.workspaces

  name                          = "mlw-${each.key}"
  friendly_name                 = each.value.friendly_name
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.Insights/components/appi-shared"
  key_vault_id                  = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.KeyVault/vaults/kv-shared"
  storage_account_id            = "/subscriptions/0000/resourceGroups/rg-shared/providers/Microsoft.Storage/storageAccounts/stshared"
  public_network_access_enabled = var.public_access

  identity {
    type = "SystemAssigned"
  }
}
