# Public network access enabled, but the firewall denies by default: only listed networks get in.
resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-firewalled"
  location = "westeurope"
}

resource "azurerm_virtual_network" "ml" {
  name                = "vnet-ml"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  address_space       = ["10.20.0.0/16"]
}

resource "azurerm_subnet" "compute" {
  name                 = "snet-compute"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.20.1.0/24"]
  service_endpoints    = ["Microsoft.Storage"]
}

resource "azurerm_storage_account" "ml" {
  name                          = "stmlfirewalled"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices"]
    ip_rules                   = ["198.51.100.0/24"]
    virtual_network_subnet_ids = [azurerm_subnet.compute.id]
  }
}
