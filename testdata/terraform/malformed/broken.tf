resource "azurerm_storage_account" "sa" {
  name = "stbroken"
  account_tier = "Standard"
  network_rules {
    default_action = 
  }
