# Variables without values: names and resource groups keep their identity.
variable "name" {
  type = string
}
variable "rg_a" {}
variable "rg_b" {}

resource "azurerm_storage_account" "a" {
  name                          = "stshared"
  resource_group_name           = var.rg_a
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
}

resource "azurerm_storage_account" "b" {
  name                          = "stshared"
  resource_group_name           = var.rg_b
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = true
}

resource "azurerm_storage_account" "ml" {
  name                          = "st${var.name}ml"
  resource_group_name           = var.rg_a
  location                      = "westeurope"
  account_tier                  = "Standard"
  account_replication_type      = "LRS"
  public_network_access_enabled = false
}

resource "azurerm_private_endpoint" "ml" {
  name                = "pe-${var.name}-blob"
  resource_group_name = var.rg_a
  location            = "westeurope"
  subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v/subnets/s"

  private_service_connection {
    name                           = "blob"
    private_connection_resource_id = azurerm_storage_account.ml.id
    subresource_names              = ["blob"]
    is_manual_connection           = false
  }
}
