# An automatic connection.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

resource "azurerm_virtual_network" "ml" {
  name                = "vnet-mlw-prod-weu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  address_space       = ["10.40.0.0/16"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.40.2.0/24"]
}

resource "azurerm_private_endpoint" "blob" {
  name                = "pe-stmlwprodweu01-blob"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = "/subscriptions/6f1d3c2a-8b4e-4f7a-9c21-3e5d7a9b0c14/resourceGroups/rg-mlw-prod-weu/providers/Microsoft.Storage/storageAccounts/stmlwprodweu01"
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}
