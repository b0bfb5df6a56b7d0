resource "azurerm_resource_group" "web" {
  name     = "rg-static-site"
  location = "eastus2"
}

resource "azurerm_storage_account" "site" {
  name                          = "stcontosostaticsite"
  resource_group_name           = azurerm_resource_group.web.name
  location                      = azurerm_resource_group.web.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true

  network_rules {
    default_action = "Allow"
    bypass         = ["AzureServices"]
  }
}
