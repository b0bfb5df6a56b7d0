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

resource "azurerm_private_dns_zone" "blob" {
  name                = "privatelink.blob.core.windows.net"
  resource_group_name = var.rg_a
}

resource "azurerm_private_dns_zone" "file" {
  name                = "privatelink.file.core.windows.net"
  resource_group_name = var.rg_a
}

# One module instance per sub-resource: names built from var.name and the instance key.
module "pe" {
  source   = "./modules/pe"
  for_each = { blob = azurerm_private_dns_zone.blob.id, file = azurerm_private_dns_zone.file.id }

  name                = "pe-${var.name}-${each.key}-mod"
  resource_group_name = var.rg_a
  target_id           = azurerm_storage_account.ml.id
  subresource         = each.key
  zone_id             = each.value
}

data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "kv" {
  name                          = "kv-${var.name}"
  resource_group_name           = var.rg_a
  location                      = "westeurope"
  sku_name                      = "standard"
  tenant_id                     = data.azurerm_client_config.current.tenant_id
  public_network_access_enabled = false
}

# Newer providers name the zone of a link by id.
resource "azurerm_private_dns_zone_virtual_network_link" "blob" {
  name                = "link-${var.name}"
  private_dns_zone_id = azurerm_private_dns_zone.blob.id
  virtual_network_id  = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/net/providers/Microsoft.Network/virtualNetworks/v"
}
