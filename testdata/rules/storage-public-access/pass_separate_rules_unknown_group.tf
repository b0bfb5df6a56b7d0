# The account and its separate network rules name a resource group declared elsewhere (a
# module input): the group is unknown on both sides, yet the rules still belong to the account.
variable "resource_group_name" {
  type = string
}

resource "azurerm_storage_account" "data" {
  name                     = "stmldataunknownrg"
  resource_group_name      = var.resource_group_name
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account_network_rules" "data" {
  resource_group_name  = var.resource_group_name
  storage_account_name = azurerm_storage_account.data.name
  default_action       = "Deny"
  bypass               = ["AzureServices"]
}
