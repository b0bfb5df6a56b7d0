# Storage has a blob endpoint but no file endpoint.

resource "azurerm_resource_group" "ml" {
  name     = "rg-mlw-prod-weu"
  location = "westeurope"
}

data "azurerm_client_config" "current" {}

resource "azurerm_storage_account" "ml" {
  name                      = "stmlwprodweu01"
  resource_group_name       = azurerm_resource_group.ml.name
  location                  = azurerm_resource_group.ml.location
  account_tier              = "Standard"
  account_replication_type  = "ZRS"
  shared_access_key_enabled = false
  public_network_access_enabled = false
}

resource "azurerm_key_vault" "ml" {
  name                       = "kv-mlw-prod-weu"
  resource_group_name        = azurerm_resource_group.ml.name
  location                   = azurerm_resource_group.ml.location
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "standard"
  purge_protection_enabled   = true
  rbac_authorization_enabled = true
  public_network_access_enabled = false
}

resource "azurerm_container_registry" "ml" {
  name                = "crmlwprodweu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  sku                 = "Premium"
  public_network_access_enabled = false
}

resource "azurerm_application_insights" "ml" {
  name                = "appi-mlw-prod-weu"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  application_type    = "web"
  internet_ingestion_enabled = false
  internet_query_enabled     = false
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-prod-weu"
  resource_group_name           = azurerm_resource_group.ml.name
  location                      = azurerm_resource_group.ml.location
  application_insights_id       = azurerm_application_insights.ml.id
  key_vault_id                  = azurerm_key_vault.ml.id
  storage_account_id            = azurerm_storage_account.ml.id
  container_registry_id         = azurerm_container_registry.ml.id
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

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.ml.name
  virtual_network_name = azurerm_virtual_network.ml.name
  address_prefixes     = ["10.40.2.0/24"]
}

resource "azurerm_private_endpoint" "blob" {
  name                = "pe-blob"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.ml.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "vault" {
  name                = "pe-vault"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "vault"
    private_connection_resource_id = azurerm_key_vault.ml.id
    subresource_names              = ["vault"]
    is_manual_connection           = false
  }
}

resource "azurerm_private_endpoint" "registry" {
  name                = "pe-registry"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  subnet_id           = azurerm_subnet.endpoints.id

  private_service_connection {
    name                           = "registry"
    private_connection_resource_id = azurerm_container_registry.ml.id
    subresource_names              = ["registry"]
    is_manual_connection           = false
  }
}
