# A VNet-integrated PostgreSQL server needs no private endpoint.

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

resource "azurerm_subnet" "postgres" {
  name                 = "snet-postgres"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.40.2.0/24"]
}

resource "azurerm_postgresql_flexible_server" "db" {
  name                          = "psql-mlw-features"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  version                       = "16"
  sku_name                      = "GP_Standard_D2ds_v5"
  delegated_subnet_id           = azurerm_subnet.postgres.id
  public_network_access_enabled = false
}
