resource "azurerm_resource_group" "main" {
  name     = "rg-${var.prefix}"
  location = var.location
}

resource "azurerm_virtual_network" "main" {
  name                = "vnet-${var.prefix}"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name
  address_space       = ["10.10.0.0/16"]
}

resource "azurerm_subnet" "endpoints" {
  name                 = "snet-endpoints"
  resource_group_name  = azurerm_resource_group.main.name
  virtual_network_name = azurerm_virtual_network.main.name
  address_prefixes     = ["10.10.1.0/24"]
}

resource "azurerm_network_security_group" "workload" {
  name                = "nsg-${var.prefix}-workload"
  location            = azurerm_resource_group.main.location
  resource_group_name = azurerm_resource_group.main.name

  dynamic "security_rule" {
    for_each = var.nsg_rules
    iterator = rule
    content {
      name                       = rule.key
      priority                   = rule.value.priority
      direction                  = "Inbound"
      access                     = rule.value.access
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = rule.value.port
      source_address_prefix      = rule.value.source
      destination_address_prefix = "VirtualNetwork"
    }
  }
}

resource "azurerm_private_dns_zone" "zone" {
  for_each            = toset(["blob", "vaultcore", "azurecr"])
  name                = "privatelink.${each.key == "blob" ? "blob.core.windows.net" : each.key == "vaultcore" ? "vaultcore.azure.net" : "azurecr.io"}"
  resource_group_name = azurerm_resource_group.main.name
}

resource "azurerm_private_dns_zone_virtual_network_link" "zone" {
  for_each              = azurerm_private_dns_zone.zone
  name                  = "link-${each.key}"
  resource_group_name   = azurerm_resource_group.main.name
  private_dns_zone_name = each.value.name
  virtual_network_id    = azurerm_virtual_network.main.id
}
